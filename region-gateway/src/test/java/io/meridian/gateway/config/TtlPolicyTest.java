package io.meridian.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.gateway.failure.GatewayFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TtlPolicyTest {

    private final NamespaceConfig namespace = namespace(Duration.ofHours(1), Duration.ofDays(1), 0.1);

    @Test
    void resolve_parsesShortFormsIsoAndBareSeconds() {
        TtlPolicy exact = new TtlPolicy(() -> 0.0);

        assertThat(exact.resolve("500ms", namespace)).isEqualTo(Duration.ofMillis(500));
        assertThat(exact.resolve("90s", namespace)).isEqualTo(Duration.ofSeconds(90));
        assertThat(exact.resolve("5m", namespace)).isEqualTo(Duration.ofMinutes(5));
        assertThat(exact.resolve("2h", namespace)).isEqualTo(Duration.ofHours(2));
        assertThat(exact.resolve("1d", namespace)).isEqualTo(Duration.ofDays(1));
        assertThat(exact.resolve("42", namespace)).isEqualTo(Duration.ofSeconds(42));
        assertThat(exact.resolve("PT3M", namespace)).isEqualTo(Duration.ofMinutes(3));
        assertThat(exact.resolve(null, namespace)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void resolve_jitterShortensByAtMostTheConfiguredFraction() {
        assertThat(new TtlPolicy(() -> 0.999).resolve("100s", namespace))
                .isBetween(Duration.ofSeconds(90), Duration.ofSeconds(91));
    }

    @Test
    void resolve_rejectsMalformedNonPositiveAndOverMax_namingTtl() {
        TtlPolicy policy = new TtlPolicy(() -> 0.0);
        for (String bad : new String[] {"soon", "-1s", "0", "PT-1S", "2d", "1x"}) {
            assertThatThrownBy(() -> policy.resolve(bad, namespace))
                    .as(bad)
                    .isInstanceOfSatisfying(GatewayFailure.class, e -> {
                        assertThat(e.kind()).isEqualTo(GatewayFailure.Kind.INVALID);
                        assertThat(e.field()).isEqualTo("ttl");
                    });
        }
    }

    private static NamespaceConfig namespace(Duration defaultTtl, Duration maxTtl, double jitter) {
        return new NamespaceConfig() {
            public Type type() {
                return Type.KV;
            }

            public String placement() {
                return "hash";
            }

            public Duration defaultTtl() {
                return defaultTtl;
            }

            public Duration maxTtl() {
                return maxTtl;
            }

            public double ttlJitter() {
                return jitter;
            }

            public int maxValueBytes() {
                return 1024;
            }

            public boolean refreshOnAccess() {
                return false;
            }

            public int listCap() {
                return 800;
            }

            public boolean nearCache() {
                return true;
            }

            public int hotKeyReplicas() {
                return 0;
            }

            public Duration fillLeaseTtl() {
                return Duration.ZERO;
            }

            public RegionOutagePolicy regionOutagePolicy() {
                return RegionOutagePolicy.REJECT;
            }

            public Duration failoverAfter() {
                return Duration.ofSeconds(10);
            }

            public WriteMode writeMode() {
                return WriteMode.CACHE_ASIDE;
            }

            public KafkaOutagePolicy kafkaOutagePolicy() {
                return KafkaOutagePolicy.REJECT;
            }

            public java.util.Optional<ChangesConfig> changes() {
                return java.util.Optional.empty();
            }

            public java.util.Optional<OriginConfig> origin() {
                return java.util.Optional.empty();
            }
        };
    }
}
