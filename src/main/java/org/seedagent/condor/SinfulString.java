package org.seedagent.condor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host of an HTCondor "sinful string", the address a daemon advertises, as found on the first
 * line of its address file: {@code <203.0.113.10:9618?addrs=203.0.113.10-9618&alias=host&sock=...>}.
 */
public final class SinfulString {
    private static final Pattern SINFUL = Pattern.compile("<\\[?([0-9A-Za-z.:-]+?)\\]?:(\\d+)(\\?[^>]*)?>");

    private SinfulString() {}

    /** The host part, or null when {@code text} is not a sinful string. */
    public static String host(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SINFUL.matcher(text.strip());
        return m.matches() ? m.group(1) : null;
    }
}
