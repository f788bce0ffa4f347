package dev.tenantdeletion.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top directory, found from wherever the build runs these checks (a module some levels down). */
public final class RepositoryRoot {

    private RepositoryRoot() {
    }

    public static Path path() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("run-platform")) && Files.isDirectory(dir.resolve("deletion-commons"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository: no run-platform above " + Path.of("").toAbsolutePath());
    }
}
