package io.meridian.coherence.event;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Binary encoding of {@link CacheEvent}s for the Kafka log. Compact (a write costs its value plus ~40 bytes) and
 * versioned by a leading magic and format byte, so a later format can be introduced while old events are still in
 * the log.
 *
 * <pre>
 * 'M' format(1) type(1) then per type:
 *   WRITE  : ns key hlc(8) origin(2) expiresAt(8) contentType hasValue(1) [len(4) value] [externalVersion(8)]
 *   DELETE : ns key hlc(8) origin(2) [externalVersion(8)]
 *   HEARTBEAT : hlc(8) origin(2)
 *   PURGE  : ns owner (empty: the whole namespace) hlc(8) origin(2)
 * strings are a 2-byte length and UTF-8 bytes
 * </pre>
 *
 * Format 1 has no external versions and no purges; format 2 (written only for events that need it, so that
 * replicators of the previous release keep reading everything else) adds the external version to writes and deletes,
 * and purges.
 */
public final class EventCodec {

    private static final byte MAGIC = 'M';
    private static final byte FORMAT = 1;
    private static final byte FORMAT_EXTENDED = 2;
    private static final byte WRITE = 1;
    private static final byte DELETE = 2;
    private static final byte HEARTBEAT = 3;
    private static final byte PURGE = 4;

    private EventCodec() {}

    public static byte[] encode(CacheEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC);
            out.writeByte(extended(event) ? FORMAT_EXTENDED : FORMAT);
            // Java 17 has no pattern matching in switch; the sealed interface keeps this list complete.
            if (event instanceof CacheEvent.Write write) {
                encodeWrite(out, write);
                if (write.externalVersion() != StoredValue.NO_EXTERNAL_VERSION) {
                    out.writeLong(write.externalVersion());
                }
            } else if (event instanceof CacheEvent.Delete delete) {
                encodeDelete(out, delete);
                if (delete.externalVersion() != StoredValue.NO_EXTERNAL_VERSION) {
                    out.writeLong(delete.externalVersion());
                }
            } else if (event instanceof CacheEvent.Purge purge) {
                out.writeByte(PURGE);
                writeString(out, purge.namespace());
                writeString(out, purge.owner());
                writeVersion(out, purge.version());
            } else if (event instanceof CacheEvent.Heartbeat heartbeat) {
                out.writeByte(HEARTBEAT);
                out.writeLong(heartbeat.hlc());
                out.writeShort(heartbeat.origin());
            } else {
                throw new IllegalArgumentException("unknown event " + event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #encode}.
     *
     * @throws EventDecodingException when the bytes are not a well-formed event of a known format (a poison event)
     */
    public static CacheEvent decode(byte[] bytes) {
        if (bytes == null) {
            throw new EventDecodingException("event without a payload");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != MAGIC) {
                throw new EventDecodingException("not a Meridian event (bad magic byte)");
            }
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_EXTENDED) {
                throw new EventDecodingException("unknown event format " + format);
            }
            boolean extended = format == FORMAT_EXTENDED;
            byte type = in.readByte();
            CacheEvent event = switch (type) {
                case WRITE -> decodeWrite(in, extended);
                case DELETE -> decodeDelete(in, extended);
                case HEARTBEAT -> decodeHeartbeat(in);
                case PURGE -> {
                    if (!extended) {
                        throw new EventDecodingException("a purge in event format 1");
                    }
                    yield decodePurge(in);
                }
                default -> throw new EventDecodingException("unknown event type " + type);
            };
            if (in.available() > 0) {
                throw new EventDecodingException(in.available() + " trailing bytes after the event");
            }
            return event;
        } catch (EOFException e) {
            throw new EventDecodingException("event truncated");
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream cannot fail", e);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("invalid event: " + e.getMessage());
        }
    }

    private static void encodeWrite(DataOutputStream out, CacheEvent.Write write) throws IOException {
        out.writeByte(WRITE);
        writeString(out, write.namespace());
        writeString(out, write.key());
        writeVersion(out, write.version());
        out.writeLong(write.expiresAtMillis());
        writeString(out, write.contentType());
        out.writeBoolean(write.carriesValue());
        if (write.carriesValue()) {
            out.writeInt(write.value().length);
            out.write(write.value());
        }
    }

    private static void encodeDelete(DataOutputStream out, CacheEvent.Delete delete) throws IOException {
        out.writeByte(DELETE);
        writeString(out, delete.namespace());
        writeString(out, delete.key());
        writeVersion(out, delete.version());
    }

    /** Format 2 only for what format 1 cannot carry. */
    private static boolean extended(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.externalVersion() != StoredValue.NO_EXTERNAL_VERSION;
        }
        if (event instanceof CacheEvent.Delete delete) {
            return delete.externalVersion() != StoredValue.NO_EXTERNAL_VERSION;
        }
        return event instanceof CacheEvent.Purge;
    }

    private static CacheEvent.Write decodeWrite(DataInputStream in, boolean extended) throws IOException {
        String namespace = readString(in);
        String key = readString(in);
        Version version = readVersion(in);
        long expiresAt = in.readLong();
        String contentType = readString(in);
        byte[] value = in.readBoolean() ? readBytes(in) : null;
        long external = extended ? in.readLong() : StoredValue.NO_EXTERNAL_VERSION;
        return new CacheEvent.Write(namespace, key, version, expiresAt, contentType, value, external);
    }

    private static CacheEvent.Delete decodeDelete(DataInputStream in, boolean extended) throws IOException {
        String namespace = readString(in);
        String key = readString(in);
        Version version = readVersion(in);
        long external = extended ? in.readLong() : StoredValue.NO_EXTERNAL_VERSION;
        return new CacheEvent.Delete(namespace, key, version, external);
    }

    private static CacheEvent.Purge decodePurge(DataInputStream in) throws IOException {
        String namespace = readString(in);
        String owner = readString(in);
        return new CacheEvent.Purge(namespace, owner, readVersion(in));
    }

    private static CacheEvent.Heartbeat decodeHeartbeat(DataInputStream in) throws IOException {
        long hlc = in.readLong();
        return new CacheEvent.Heartbeat(in.readUnsignedShort(), hlc);
    }

    private static void writeVersion(DataOutputStream out, Version version) throws IOException {
        out.writeLong(version.hlc());
        out.writeShort(version.origin());
    }

    private static Version readVersion(DataInputStream in) throws IOException {
        long hlc = in.readLong();
        int origin = in.readUnsignedShort();
        return new Version(hlc, origin);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = strictUtf8(value);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /** UTF-8 that refuses unpaired surrogates instead of writing '?', which would put the event on another key. */
    private static byte[] strictUtf8(String value) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-16 text (unpaired surrogate): " + e.getMessage());
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readUnsignedShort()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new EventDecodingException("value length " + length + " exceeds the event");
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
