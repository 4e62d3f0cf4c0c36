package org.seedagent.logging;

/** Log levels, with the sd-daemon(3) priority each is sent to journald with. */
public enum Level {
    ERROR(3),
    WARN(4),
    NOTICE(5),
    INFO(6),
    DEBUG(7);

    private final int priority;

    Level(int priority) {
        this.priority = priority;
    }

    /** The syslog priority: {@code <3>} error ... {@code <7>} debug. */
    public int priority() {
        return priority;
    }

    public boolean includes(Level other) {
        return other.priority <= priority;
    }
}
