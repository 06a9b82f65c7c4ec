package io.meridian.coherence.routing;

import java.util.List;
import java.util.Objects;

/**
 * Where a key is homed: by its placement ({@code natural}), now ({@code home}), and the regions that executed its writes
 * lately besides the home ({@code formers}: a natural home whose keys moved away, or the interim home of keys that came
 * back), whose writes a read must also honour for a session token.
 */
public record Route(String natural, String home, List<String> formers) {

    public Route {
        Objects.requireNonNull(natural, "natural");
        Objects.requireNonNull(home, "home");
        formers = List.copyOf(formers);
    }

    /** @return a key homed where its placement puts it, with no former home */
    public static Route at(String home) {
        return new Route(home, home, List.of());
    }
}
