package org.seedagent.support;

/** What a finished (or killed) child process left behind. */
public record ProcessResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }
}
