package org.opentrunk.core.cnam;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a fixed number of bytes, as text: once the cap is reached the rest is
 * not read, the exchange is cancelled and what arrived so far is the body. A provider answering a
 * name with megabytes costs a kilobyte of memory.
 */
final class CappedBody implements BodySubscriber<String> {

    private final int maxBytes;
    private final byte[] bytes;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private int length;
    private Flow.Subscription subscription;

    /** @param maxBytes how much is read at most; 0 reads nothing (for answers whose body is not wanted) */
    CappedBody(int maxBytes) {
        this.maxBytes = maxBytes;
        this.bytes = new byte[maxBytes];
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (maxBytes == 0) {
            finish();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return; // a late delivery after cancel
        }
        for (ByteBuffer buffer : buffers) {
            int take = Math.min(buffer.remaining(), maxBytes - length);
            buffer.get(bytes, length, take);
            length += take;
        }
        if (length == maxBytes) {
            finish();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(text());
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    private void finish() {
        subscription.cancel();
        body.complete(text());
    }

    /** Broken UTF-8 (a cut multi-byte character) decodes to replacement characters, dropped later. */
    private String text() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
