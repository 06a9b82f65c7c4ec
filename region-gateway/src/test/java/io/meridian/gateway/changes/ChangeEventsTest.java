package io.meridian.gateway.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

    private static final String TEMPLATE = "user:{id}";

    @Test
    void update_mapsTheRowAfterTheChange() {
        String update = """
                {"before":{"id":41,"name":"old"},"after":{"id":42,"name":"new"},"op":"u",
                 "source":{"table":"users"}}""";

        assertThat(ChangeEvents.keyOf(update, TEMPLATE, Optional.empty())).contains("user:42");
    }

    @Test
    void delete_mapsTheRowBeforeTheChange_andTheSchemaWrapperIsAccepted() {
        String delete = """
                {"schema":{"type":"struct"},"payload":{"before":{"id":7,"tenant":"acme"},"after":null,"op":"d",
                 "source":{"table":"users"}}}""";

        assertThat(ChangeEvents.keyOf(delete, "{tenant}:user:{id}", Optional.empty()))
                .contains("acme:user:7");
    }

    @Test
    void tombstonesAndOtherTables_mapToNothing() {
        String insert = """
                {"before":null,"after":{"id":1},"op":"c","source":{"table":"orders"}}""";

        assertThat(ChangeEvents.keyOf(null, TEMPLATE, Optional.empty())).isEmpty();
        assertThat(ChangeEvents.keyOf(insert, TEMPLATE, Optional.of("users"))).isEmpty();
        assertThat(ChangeEvents.keyOf(insert, TEMPLATE, Optional.of("orders"))).contains("user:1");
    }

    @Test
    void malformedChanges_sayWhatIsWrong() {
        assertThatThrownBy(() -> ChangeEvents.keyOf("not json", TEMPLATE, Optional.empty()))
                .isInstanceOf(ChangeEvents.MalformedChange.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ChangeEvents.keyOf("{\"after\":{\"id\":1}}", TEMPLATE, Optional.empty()))
                .hasMessageContaining("no op field");
        assertThatThrownBy(() ->
                        ChangeEvents.keyOf("{\"op\":\"u\",\"after\":{\"name\":\"x\"}}", TEMPLATE, Optional.empty()))
                .hasMessageContaining("no value for column id");
        assertThatThrownBy(() -> ChangeEvents.keyOf("{\"op\":\"d\",\"before\":null}", TEMPLATE, Optional.empty()))
                .hasMessageContaining("without its before row");
    }
}
