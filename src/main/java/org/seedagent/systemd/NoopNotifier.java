package org.seedagent.systemd;

import java.time.Duration;
import java.util.Optional;

/** The notifier used when there is no {@code NOTIFY_SOCKET}: everything is a no-op. */
enum NoopNotifier implements Notifier {
    INSTANCE;

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void ready() {}

    @Override
    public void ready(String status) {}

    @Override
    public void status(String oneLine) {}

    @Override
    public void watchdog() {}

    @Override
    public void stopping() {}

    @Override
    public Optional<Duration> watchdogInterval() {
        return Optional.empty();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "no service manager notifications";
    }
}
