package io.meridian.infra.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBrokerSettingsTest {

    @Test
    void serverProperties_extraListener_bindsItsPortAndIsAdvertisedOnAnother() {
        String properties = KafkaBrokerSettings.serverProperties(
                Path.of("/tmp/kafka"), 9092, 9093, List.of(new KafkaBroker.Listener("REGION_LINK_1", 9101, 9201)));

        assertThat(properties)
                .contains("listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,"
                        + "REGION_LINK_1://127.0.0.1:9101\n")
                .contains("advertised.listeners=PLAINTEXT://127.0.0.1:9092,REGION_LINK_1://127.0.0.1:9201\n")
                .contains("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,"
                        + "REGION_LINK_1:PLAINTEXT\n")
                .contains("inter.broker.listener.name=PLAINTEXT\n");
    }

    @Test
    void serverProperties_withoutExtraListeners_isTheBrokersOwnListenerOnly() {
        String properties = KafkaBrokerSettings.serverProperties(Path.of("/tmp/kafka"), 9092, 9093, List.of());

        assertThat(properties).contains("advertised.listeners=PLAINTEXT://127.0.0.1:9092\n");
    }

    @Test
    void listener_reservedOrBadName_isRefused() {
        assertThatThrownBy(() -> new KafkaBroker.Listener("PLAINTEXT", 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaBroker.Listener("us-east", 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
