package io.meridian.infra.bench.profile;

import static io.meridian.infra.bench.profile.BurnerRecording.ALLOCATE_BUFFERS;
import static io.meridian.infra.bench.profile.BurnerRecording.BURNER;
import static io.meridian.infra.bench.profile.BurnerRecording.BURN_PRIMES;
import static io.meridian.infra.bench.profile.BurnerRecording.HASHER;
import static io.meridian.infra.bench.profile.BurnerRecording.HASH_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JfrStacksTest {

    private static final Pattern ALL_THREADS = Pattern.compile(".*");

    @Test
    void read_putsTheBurnersMethodInMostOfItsThreadsSamples() throws Exception {
        CollapsedStacks stacks = new JfrStacks(ProfileEvent.CPU, Pattern.compile(BURNER), Integer.MAX_VALUE)
                .read(BurnerRecording.file());

        assertThat(stacks.unit()).isEqualTo("samples");
        assertThat(stacks.total()).isPositive();
        assertThat(weightThrough(stacks, BURN_PRIMES)).isGreaterThan(stacks.total() * 8 / 10);
    }

    @Test
    void read_withRootFirstStacks_fromThreadRunToTheSampledMethod() throws Exception {
        CollapsedStacks stacks = new JfrStacks(ProfileEvent.CPU, Pattern.compile(BURNER), Integer.MAX_VALUE)
                .read(BurnerRecording.file());

        assertThat(stacks.weights().keySet())
                .anySatisfy(stack ->
                        assertThat(stack).startsWith("java.lang.Thread.run").endsWith(BURN_PRIMES));
    }

    @Test
    void read_keepsOnlyTheThreadsTheFilterNames() throws Exception {
        CollapsedStacks all =
                new JfrStacks(ProfileEvent.CPU, ALL_THREADS, Integer.MAX_VALUE).read(BurnerRecording.file());
        CollapsedStacks burner = new JfrStacks(ProfileEvent.CPU, Pattern.compile(BURNER), Integer.MAX_VALUE)
                .read(BurnerRecording.file());

        assertThat(weightThrough(all, HASH_BYTES)).isPositive();
        assertThat(weightThrough(burner, HASH_BYTES)).isZero();
        assertThat(burner.total()).isLessThan(all.total());
    }

    @Test
    void read_matchesTheWholeThreadName() throws Exception {
        CollapsedStacks stacks = new JfrStacks(ProfileEvent.CPU, Pattern.compile("flame"), Integer.MAX_VALUE)
                .read(BurnerRecording.file());

        assertThat(stacks.total()).isZero();
    }

    @Test
    void read_cutsStacksToTheMaximumDepth_keepingTheLeafEnd_underATruncatedRoot() throws Exception {
        CollapsedStacks stacks =
                new JfrStacks(ProfileEvent.CPU, Pattern.compile(BURNER + "|" + HASHER), 2).read(BurnerRecording.file());

        assertThat(stacks.weights().keySet()).allSatisfy(stack -> {
            assertThat(stack).hasSizeLessThanOrEqualTo(3);
            assertThat(stack).doesNotContain("java.lang.Thread.run");
        });
        assertThat(stacks.weights().keySet())
                .anySatisfy(stack -> assertThat(stack.get(0)).isEqualTo(JfrStacks.TRUNCATED))
                .anySatisfy(stack -> assertThat(stack).endsWith(BURN_PRIMES));
    }

    @Test
    void read_allocations_weighsStacksInBytes_withTheAllocatedTypeAsLeaf() throws Exception {
        CollapsedStacks stacks = new JfrStacks(
                        ProfileEvent.ALLOC, Pattern.compile(BurnerRecording.ALLOCATOR), Integer.MAX_VALUE)
                .read(BurnerRecording.file());

        assertThat(stacks.unit()).isEqualTo("bytes");
        assertThat(stacks.weights().keySet())
                .anySatisfy(stack -> assertThat(stack).endsWith(ALLOCATE_BUFFERS, "new long[]"));
        assertThat(weightThrough(stacks, ALLOCATE_BUFFERS)).isGreaterThan(stacks.total() * 8 / 10);
    }

    @Test
    void label_dropsTheRunSpecificPartOfLambdaAndHiddenClassNames() {
        assertThat(JfrStacks.label("io.meridian.Foo$$Lambda$291+0x00007ff770150a08.996125997", "get"))
                .isEqualTo("io.meridian.Foo$$Lambda.get");
        assertThat(JfrStacks.label("io.meridian.Foo$$Lambda/0x0000000800c0b840", "get"))
                .isEqualTo("io.meridian.Foo$$Lambda.get");
        assertThat(JfrStacks.label("java.lang.invoke.LambdaForm$MH+0x0000000800d04400.1234", "invoke"))
                .isEqualTo("java.lang.invoke.LambdaForm$MH.invoke");
        assertThat(JfrStacks.label("io.meridian.Foo$Inner", "<init>")).isEqualTo("io.meridian.Foo$Inner.<init>");
    }

    @Test
    void typeName_writesArraysAsJavaSourceDoes() {
        assertThat(JfrStacks.typeName("[B")).isEqualTo("byte[]");
        assertThat(JfrStacks.typeName("[[J")).isEqualTo("long[][]");
        assertThat(JfrStacks.typeName("[Ljava.lang.String;")).isEqualTo("java.lang.String[]");
        assertThat(JfrStacks.typeName("java.lang.String")).isEqualTo("java.lang.String");
    }

    private static long weightThrough(CollapsedStacks stacks, String frame) {
        return stacks.weights().entrySet().stream()
                .filter(e -> e.getKey().contains(frame))
                .mapToLong(e -> e.getValue())
                .sum();
    }
}
