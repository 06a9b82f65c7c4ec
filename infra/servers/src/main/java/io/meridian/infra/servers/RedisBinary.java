package io.meridian.infra.servers;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a {@code redis-server} executable: the one named by system property {@code meridian.redis.server} or env
 * {@code MERIDIAN_REDIS_SERVER}, else {@code redis-server} on the PATH, else the static binary shipped inside
 * {@code org.signal:embedded-redis} (Redis 7.0.15), extracted once to a folder under {@code java.io.tmpdir}.
 *
 * <p>The extracted copy is kept (not deleted on exit) because servers started by {@code ./meridian up -d} keep
 * running it after the launcher's JVM has gone, and later runs reuse it.
 */
public final class RedisBinary {

    private static final String EMBEDDED_VERSION = "7.0.15";

    private RedisBinary() {}

    /** The executable to run. */
    public static Path locate() {
        return configured().or(RedisBinary::onPath).orElseGet(RedisBinary::extractEmbedded);
    }

    private static Optional<Path> configured() {
        String value = System.getProperty("meridian.redis.server", System.getenv("MERIDIAN_REDIS_SERVER"));
        return Optional.ofNullable(value).filter(v -> !v.isBlank()).map(Path::of);
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path extractEmbedded() {
        String resource = "/redis-server-" + EMBEDDED_VERSION + "-" + platform();
        Path target = Path.of(
                System.getProperty("java.io.tmpdir"), "meridian-redis-" + EMBEDDED_VERSION, resource.substring(1));
        URL source = RedisBinary.class.getResource(resource);
        if (source == null) {
            throw new ServerException("no redis-server on the PATH and embedded-redis has no binary " + resource
                    + "; install redis-server or set MERIDIAN_REDIS_SERVER");
        }
        try {
            URLConnection connection = source.openConnection();
            if (Files.isExecutable(target) && Files.size(target) == connection.getContentLengthLong()) {
                return target;
            }
            Files.createDirectories(target.getParent());
            // Copy next to the target and move it in place, so that a concurrent JVM never runs a half-written file.
            Path partial = Files.createTempFile(target.getParent(), "redis-server", ".part");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            partial.toFile().setExecutable(true);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new ServerException("cannot extract the embedded redis-server to " + target + ": " + e, e);
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "darwin" : "linux";
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "386";
        };
        return osName + "-" + archName;
    }
}
