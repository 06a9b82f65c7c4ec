package io.meridian.replicator.sources;

import io.meridian.replicator.ingest.EventIngest;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record polled by a source loop, as the ingest sees it. The loop commits the offsets after the whole batch, so
 * acknowledging one record has nothing to do; what a dead letter does is the subclass's.
 */
abstract class PolledRecord implements EventIngest.Delivery {

    protected final ConsumerRecord<String, byte[]> record;

    PolledRecord(ConsumerRecord<String, byte[]> record) {
        this.record = record;
    }

    @Override
    public String topic() {
        return record.topic();
    }

    @Override
    public int partition() {
        return record.partition();
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public byte[] payload() {
        return record.value();
    }

    @Override
    public Uni<Void> ack() {
        return Uni.createFrom().voidItem();
    }
}
