package io.meridian.infra.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The root of the Meridian checkout: system property {@code meridian.root}, else env {@code MERIDIAN_ROOT}, else the
 * nearest folder at or above the working directory that holds {@code mvnw}. Maven runs each module's tests in the
 * module's folder, the launcher runs from the root: walking up finds the same root from both.
 */
public final class RepositoryRoot {

    private RepositoryRoot() {}

    /** The root, or empty when neither configured nor found above the working directory. */
    public static Optional<Path> find() {
        String configured = System.getProperty("meridian.root", System.getenv("MERIDIAN_ROOT"));
        if (configured != null && !configured.isBlank() && !configured.contains("${")) {
            return Optional.of(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The root, or a {@link ServerException} saying how to point at it. */
    public static Path require() {
        return find().orElseThrow(() -> new ServerException("cannot find the Meridian checkout (a folder holding mvnw)"
                + " above " + Path.of("").toAbsolutePath() + "; set MERIDIAN_ROOT or -Dmeridian.root"));
    }
}
