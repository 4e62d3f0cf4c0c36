package org.seedagent.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs real child processes; output beyond {@link #MAX_OUTPUT} bytes per stream is dropped. */
public final class SystemProcessRunner implements ProcessRunner {
    static final int MAX_OUTPUT = 4 * 1024 * 1024;

    @Override
    public ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The service manager's channel is ours alone: a child must not speak for us or ping the watchdog.
        builder.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        Process process = builder.start();
        // Both streams are drained concurrently so a chatty child cannot block on a full pipe.
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return new ProcessResult(finished ? process.exitValue() : -1, collect(out), collect(err), !finished);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = stream.read(buffer)) >= 0) {
                    int room = MAX_OUTPUT - kept.size();
                    kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
                }
                return kept.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String collect(CompletableFuture<String> stream) throws InterruptedException {
        try {
            return stream.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A grandchild that keeps the pipe open must not hang us: return what we have not.
            return "";
        }
    }
}
