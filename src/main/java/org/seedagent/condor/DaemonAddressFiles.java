package org.seedagent.condor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The files HTCondor's tools find a local daemon through, read for the host they name: an address file
 * ({@code MASTER_ADDRESS_FILE}, ...: the sinful string on its first line) and the schedd's local ad
 * ({@code SCHEDD_DAEMON_AD_FILE}: its {@code MyAddress}), which is what a normal user's {@code condor_q} and
 * {@code condor_submit} use. Read as root, opened once without following a link, at most {@link #LIMIT} bytes.
 */
public final class DaemonAddressFiles {
    /** Both are a few hundred bytes; a schedd ad a few KiB. */
    static final int LIMIT = 64 * 1024;

    private DaemonAddressFiles() {}

    /** The host on the first line of an address file; empty when the file is missing, unreadable or not one. */
    public static Optional<String> hostInAddressFile(String file) {
        return read(file).map(text -> {
            int newline = text.indexOf('\n');
            return SinfulString.host(newline < 0 ? text : text.substring(0, newline));
        });
    }

    /** The host of {@code MyAddress} in a daemon's local ad; empty when missing, unreadable or without one. */
    public static Optional<String> hostInLocalAd(String file) {
        return read(file)
                .flatMap(text -> text.lines()
                        .map(String::strip)
                        .filter(line -> line.startsWith("MyAddress"))
                        .map(line -> line.substring("MyAddress".length()).strip())
                        .filter(rest -> rest.startsWith("="))
                        .map(rest -> rest.substring(1).strip())
                        .map(value -> value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                                ? value.substring(1, value.length() - 1)
                                : value)
                        .map(SinfulString::host)
                        .filter(host -> host != null)
                        .findFirst());
    }

    private static Optional<String> read(String file) {
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            if (!Files.readAttributes(Path.of(file), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile()) {
                return Optional.empty(); // a FIFO would block the read; a link or directory is not HTCondor's file
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                InputStream in = Channels.newInputStream(channel)) {
            byte[] bytes = in.readNBytes(LIMIT);
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // Missing (the daemon is not running), being rewritten, or not a path: nothing to read now.
            return Optional.empty();
        }
    }
}
