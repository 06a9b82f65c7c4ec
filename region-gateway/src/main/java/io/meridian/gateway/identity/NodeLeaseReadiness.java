package io.meridian.gateway.identity;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while this gateway holds a usable node number: without one it cannot mint a version. */
@Readiness
@ApplicationScoped
class NodeLeaseReadiness implements HealthCheck {

    private final NodeLease lease;

    public NodeLeaseReadiness(NodeLease lease) {
        this.lease = lease;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("meridian-node-number")
                .status(lease.ready())
                .withData("node", lease.held())
                .build();
    }
}
