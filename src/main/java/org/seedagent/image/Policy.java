package org.seedagent.image;

/**
 * Which of the categories that need a flag the operator allowed to change.
 *
 * @param removeAwsCredentials {@code --remove-aws-credentials}
 * @param removeAnnexKeys {@code --remove-annex-keys}
 * @param scrubShellHistory {@code --scrub-shell-history}
 */
public record Policy(boolean removeAwsCredentials, boolean removeAnnexKeys, boolean scrubShellHistory) {
    /** Only seed-agent's own files. */
    public static final Policy DEFAULT = new Policy(false, false, false);

    /** Whether findings of {@code category} may be changed. */
    public boolean allows(Category category) {
        return switch (category.handling()) {
            case ALWAYS -> true;
            case REPORT -> false;
            case WITH_FLAG ->
                switch (category) {
                    case AWS_CREDENTIALS -> removeAwsCredentials;
                    case ANNEX_KEYS -> removeAnnexKeys;
                    case SHELL_HISTORY -> scrubShellHistory;
                    default -> throw new IllegalStateException("no flag for " + category);
                };
        };
    }
}
