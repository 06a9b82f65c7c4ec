package io.meridian.coherence.redis;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Runs a {@link LuaScript} on one key by {@code EVALSHA}, falling back to {@code EVAL} when Redis answers
 * {@code NOSCRIPT} (after a restart or {@code SCRIPT FLUSH} the script cache is empty; {@code EVAL} refills it, so
 * only the first call after a restart pays for sending the source). Every script takes exactly one key, which keeps
 * it valid on Redis Cluster.
 */
public final class ScriptRunner {

    private final Redis redis;

    public ScriptRunner(Redis redis) {
        this.redis = redis;
    }

    /** Runs {@code script} with {@code KEYS[1] = key} and the given binary arguments. */
    public Future<Response> run(LuaScript script, String key, List<byte[]> args) {
        return redis.send(request(Command.EVALSHA, script.sha1(), key, args))
                .recover(failure -> retryUnlessCached(failure, script, key, args));
    }

    private Future<Response> retryUnlessCached(Throwable failure, LuaScript script, String key, List<byte[]> args) {
        if (!isNoScript(failure)) {
            return Future.failedFuture(failure);
        }
        return redis.send(request(Command.EVAL, script.source(), key, args));
    }

    static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static Request request(Command command, String scriptOrSha, String key, List<byte[]> args) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(1).arg(key);
        for (byte[] arg : args) {
            request.arg(Buffer.buffer(arg));
        }
        return request;
    }
}
