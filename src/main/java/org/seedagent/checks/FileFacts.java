package org.seedagent.checks;

import java.util.List;
import java.util.Map;

/**
 * The files the checks look at, gathered before they run.
 *
 * @param files {@code stat} of the files named by {@link Checks#filesToExamine}, by path
 * @param credentialFiles AWS credential files found on the instance (paths and what they hold, never
 *     the content)
 * @param homesSearched how many home directories were searched for {@code .aws/credentials} and
 *     {@code .aws/config}; {@link #NOT_SURVEYED} when none was (the daemon does not read users' files)
 * @param unsearchable files that could not be looked at, with the reason (e.g. not running as root)
 */
public record FileFacts(
        Map<String, FileStat> files,
        List<CredentialFile> credentialFiles,
        int homesSearched,
        List<String> unsearchable) {

    /**
     * A file holding AWS credentials.
     *
     * @param path where it is
     * @param holds what it holds, e.g. {@code aws_access_key_id, aws_secret_access_key}, or which
     *     annex key file it is
     */
    public record CredentialFile(String path, String holds) {}

    public FileFacts {
        files = Map.copyOf(files);
        credentialFiles = List.copyOf(credentialFiles);
        unsearchable = List.copyOf(unsearchable);
    }

    public FileFacts(Map<String, FileStat> files, List<CredentialFile> credentialFiles, int homesSearched) {
        this(files, credentialFiles, homesSearched, List.of());
    }

    public static final FileFacts NONE = new FileFacts(Map.of(), List.of(), 0, List.of());

    /** {@link #homesSearched} when home directories were not searched at all. */
    public static final int NOT_SURVEYED = -1;

    /** Whether home directories were searched for AWS credential files. */
    public boolean homesSurveyed() {
        return homesSearched != NOT_SURVEYED;
    }

    /** What is known about {@code path}; a path that was not gathered is "not examined". */
    public FileStat stat(String path) {
        FileStat stat = files.get(path);
        return stat != null ? stat : FileStat.unexamined(path, "not examined");
    }
}
