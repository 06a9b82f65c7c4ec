package io.meridian.coherence.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.coherence.version.Version;
import org.junit.jupiter.api.Test;

class CacheEventTest {

    private static final Version VERSION = new Version(1, 1);

    @Test
    void recordKey_writeAndDeleteOfOneKey_areEqualSoTheyShareAPartition() {
        CacheEvent write = new CacheEvent.Write("users", "42", VERSION, 1, "", null);
        CacheEvent delete = new CacheEvent.Delete("users", "42", VERSION);

        assertThat(write.recordKey()).isEqualTo("users/42").isEqualTo(delete.recordKey());
    }

    @Test
    void write_nonPositiveExpiry_throws() {
        assertThatThrownBy(() -> new CacheEvent.Write("ns", "k", VERSION, 0, "", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void write_emptyNamespaceOrKey_throws() {
        assertThatThrownBy(() -> new CacheEvent.Write("", "k", VERSION, 1, "", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CacheEvent.Write("ns", "", VERSION, 1, "", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delete_nullNamespaceOrKey_throws() {
        assertThatThrownBy(() -> new CacheEvent.Delete(null, "k", VERSION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CacheEvent.Delete("ns", null, VERSION))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delete_nullVersion_throws() {
        assertThatThrownBy(() -> new CacheEvent.Delete("ns", "k", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void carriesValue_nullValue_isFalseButEmptyValueIsTrue() {
        assertThat(new CacheEvent.Write("ns", "k", VERSION, 1, "", null).carriesValue())
                .isFalse();
        assertThat(new CacheEvent.Write("ns", "k", VERSION, 1, "", new byte[0]).carriesValue())
                .isTrue();
    }

    @Test
    void equals_writesWithEqualValuesInDifferentArrays_areEqualWithSameHashCode() {
        CacheEvent.Write a = new CacheEvent.Write("ns", "k", VERSION, 1, "t", new byte[] {1, 2});
        CacheEvent.Write b = new CacheEvent.Write("ns", "k", VERSION, 1, "t", new byte[] {1, 2});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void equals_writeWithoutValueAndWithEmptyValue_areNotEqual() {
        CacheEvent.Write none = new CacheEvent.Write("ns", "k", VERSION, 1, "t", null);
        CacheEvent.Write empty = new CacheEvent.Write("ns", "k", VERSION, 1, "t", new byte[0]);

        assertThat(none).isNotEqualTo(empty);
    }
}
