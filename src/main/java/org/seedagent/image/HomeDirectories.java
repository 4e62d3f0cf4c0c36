package org.seedagent.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The home directories searched for shell history: root's and those of every {@code /etc/passwd} account
 * whose home exists, under a root directory. The same rule as {@code FactsGatherer.homes()}, which is
 * package-private in {@code checks}; when that is made public, this class goes.
 */
final class HomeDirectories {
    private HomeDirectories() {
    }

    /** The homes as the instance names them (absolute paths), root's first. */
    static List<String> under(Path root) {
        Set<String> homes = new LinkedHashSet<>();
        String rootHome = "/root";
        List<String> others = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(RootedPath.under(root, "/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length < 7 || line.startsWith("#")) {
                    continue;
                }
                String home = fields[5];
                if (fields[2].equals("0") && fields[0].equals("root") && home.startsWith("/")) {
                    rootHome = home;
                } else if (home.startsWith("/") && !home.equals("/")) {
                    others.add(home);
                }
            }
        } catch (IOException e) {
            // No readable /etc/passwd: root's home is still searched.
        }
        homes.add(rootHome);
        for (String home : others) {
            if (Files.isDirectory(RootedPath.under(root, home), LinkOption.NOFOLLOW_LINKS)) {
                homes.add(home);
            }
        }
        return List.copyOf(homes);
    }
}
