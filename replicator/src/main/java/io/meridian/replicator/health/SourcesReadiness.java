package io.meridian.replicator.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The replicator is ready while it reads every source it has started reading: a source whose consumer keeps failing,
 * or whose batch has waited for Redis too long, makes it not ready, with the source's error in the check's data.
 */
@Readiness
@ApplicationScoped
class SourcesReadiness implements HealthCheck {

    private final SourceHealth health;

    public SourcesReadiness(SourceHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        Set<String> down = health.down();
        Set<String> waiting = health.notStarted();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("event sources").status(down.isEmpty() && waiting.isEmpty());
        health.all()
                .forEach((source, view) -> response.withData(
                        source, view.up() ? "up" : "down: " + view.error().orElse("unknown")));
        return response.build();
    }
}
