package org.seedagent.logging;

import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that writes {@link LogFormat}ted lines to standard error. */
final class StderrLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient LogSettings settings;

    StderrLogger(String name, LogSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            org.slf4j.event.Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        Level ours = toOurs(level);
        if (ours == Level.INFO && marker != null && Notice.MARKER.getName().equals(marker.getName())) {
            ours = Level.NOTICE;
        }
        settings.write(ours, message, throwable);
    }

    private boolean enabled(Level level) {
        return settings.enabled(name, level);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        boolean notice = marker != null && Notice.MARKER.getName().equals(marker.getName());
        return enabled(notice ? Level.NOTICE : Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    private static Level toOurs(org.slf4j.event.Level level) {
        return switch (level) {
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case INFO -> Level.INFO;
            case DEBUG, TRACE -> Level.DEBUG;
        };
    }
}
