package io.meridian.coherence.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.coherence.clock.HybridLogicalClock;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

class VersionTest {

    // ---- total order ----

    @Property
    void compareTo_anyTwoVersions_isZeroExactlyWhenEqual(@ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    }

    @Property
    void compareTo_anyTwoVersions_isAntisymmetric(@ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    }

    @Property(tries = 5_000)
    void compareTo_anyThreeVersions_isTransitive(
            @ForAll("versions") Version a, @ForAll("versions") Version b, @ForAll("versions") Version c) {
        // An implication rather than Assume: about five in six triples are out of order, and jqwik would give up.
        boolean chained = a.compareTo(b) <= 0 && b.compareTo(c) <= 0;
        Statistics.collect(chained);
        Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p > 5.0));
        if (chained) {
            assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
        }
        if (a.compareTo(b) < 0 && b.compareTo(c) < 0) {
            assertThat(a.compareTo(c)).isNegative();
        }
    }

    @Property
    void compareTo_anyTwoVersions_ordersByClockThenOrigin(
            @ForAll("versions") Version a, @ForAll("versions") Version b) {
        int expected = a.hlc() != b.hlc() ? Long.compare(a.hlc(), b.hlc()) : Integer.compare(a.origin(), b.origin());

        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
    }

    @Property
    void isNewerThan_anyTwoVersions_meansCompareToPositive(
            @ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertThat(a.isNewerThan(b)).isEqualTo(a.compareTo(b) > 0);
    }

    @Property
    void zero_anyVersion_isNotNewer(@ForAll("versions") Version version) {
        assertThat(Version.ZERO.isNewerThan(version)).isFalse();
    }

    // ---- binary and hex forms ----

    /** The Lua scripts compare versions as byte strings; this is the property they rely on. */
    @Property
    void toBytes_anyTwoVersions_unsignedByteOrderEqualsVersionOrder(
            @ForAll("versions") Version a, @ForAll("versions") Version b) {
        int byBytes = Arrays.compareUnsigned(a.toBytes(), b.toBytes());

        assertThat(Integer.signum(byBytes)).isEqualTo(Integer.signum(a.compareTo(b)));
    }

    @Property
    void toBytes_anyVersion_isBigEndianClockThenOrigin(@ForAll("versions") Version version) {
        byte[] bytes = version.toBytes();

        assertThat(bytes).hasSize(Version.BYTES);
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo(String.format("%016x%04x", version.hlc(), version.origin()));
    }

    @Property
    void fromBytes_anyVersionAtAnyOffset_roundTrips(
            @ForAll("versions") Version version,
            @ForAll @IntRange(min = 0, max = 20) int offset,
            @ForAll @IntRange(min = 0, max = 20) int trailing) {
        byte[] buffer = new byte[offset + Version.BYTES + trailing];
        Arrays.fill(buffer, (byte) 0xA5);
        System.arraycopy(version.toBytes(), 0, buffer, offset, Version.BYTES);

        assertThat(Version.fromBytes(buffer, offset)).isEqualTo(version);
    }

    @Property
    void fromBytes_fewerThanTenBytesLeft_throws(@ForAll @IntRange(min = 0, max = Version.BYTES - 1) int length) {
        assertThatThrownBy(() -> Version.fromBytes(new byte[length], 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void fromBytes_clockWithHighBitSet_throws() {
        byte[] bytes = new byte[Version.BYTES];
        bytes[0] = (byte) 0x80;

        assertThatThrownBy(() -> Version.fromBytes(bytes, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void toHex_anyVersion_roundTripsThroughFromHex(@ForAll("versions") Version version) {
        String hex = version.toHex();

        assertThat(hex).hasSize(2 * Version.BYTES).matches("[0-9a-f]+");
        assertThat(Version.fromHex(hex)).isEqualTo(version);
    }

    @Property
    void toHex_anyTwoVersions_stringOrderEqualsVersionOrder(
            @ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertThat(Integer.signum(a.toHex().compareTo(b.toHex()))).isEqualTo(Integer.signum(a.compareTo(b)));
    }

    @Property
    void fromHex_upperCaseDigits_parsesLikeLowerCase(@ForAll("versions") Version version) {
        assertThat(Version.fromHex(version.toHex().toUpperCase())).isEqualTo(version);
    }

    @Example
    void fromHex_wrongLength_throws() {
        assertThatThrownBy(() -> Version.fromHex("00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.fromHex("0".repeat(21))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.fromHex("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void fromHex_null_throwsIllegalArgument() {
        assertThatThrownBy(() -> Version.fromHex(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void fromHex_nonHexDigits_throws() {
        assertThatThrownBy(() -> Version.fromHex("0000000000000000000g")).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void fromHex_negativeClock_throws() {
        assertThatThrownBy(() -> Version.fromHex("80000000000000000000")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- construction and origin ids ----

    @Example
    void constructor_negativeClock_throws() {
        assertThatThrownBy(() -> new Version(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void constructor_originOutside16Bits_throws() {
        assertThatThrownBy(() -> new Version(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Version(0, 0x10000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void originId_anyRegionAndNode_regionIndexRoundTrips(
            @ForAll @IntRange(min = 0, max = 255) int region,
            @ForAll @IntRange(min = 0, max = 255) int node,
            @ForAll @LongRange(min = 0) long hlc) {
        Version version = new Version(hlc, Version.originId(region, node));

        assertThat(version.regionIndex()).isEqualTo(region);
        assertThat(version.origin() & 0xFF).isEqualTo(node);
    }

    @Example
    void originId_outOfRange_throws() {
        assertThatThrownBy(() -> Version.originId(256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.originId(0, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.originId(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.originId(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void wallMillis_anyClock_isPhysicalPart(@ForAll @LongRange(min = 0) long hlc) {
        assertThat(new Version(hlc, 0).wallMillis()).isEqualTo(HybridLogicalClock.physical(hlc));
    }

    @Provide
    Arbitrary<Version> versions() {
        return VersionArbitraries.versions();
    }
}
