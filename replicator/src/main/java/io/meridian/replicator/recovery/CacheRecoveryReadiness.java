package io.meridian.replicator.recovery;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while this region's cache is being rebuilt from the logs after it lost its data (or is new). */
@Readiness
@ApplicationScoped
class CacheRecoveryReadiness implements HealthCheck {

    private final CacheLossRecovery recovery;

    public CacheRecoveryReadiness(CacheLossRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cache rebuilt")
                .status(!recovery.recovering())
                .build();
    }
}
