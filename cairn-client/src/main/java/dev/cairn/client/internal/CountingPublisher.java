package dev.cairn.client.internal;

import dev.cairn.client.Progress;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/** Wraps a body publisher to report how many bytes the HTTP client has taken from it. */
public final class CountingPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher delegate;
    private final String path;
    private final Progress progress;

    public CountingPublisher(HttpRequest.BodyPublisher delegate, String path, Progress progress) {
        this.delegate = delegate;
        this.path = path;
        this.progress = progress;
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        long total = delegate.contentLength();
        delegate.subscribe(new Flow.Subscriber<>() {
            private long done;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
                progress.update(path, 0, total);
            }

            @Override
            public void onNext(ByteBuffer item) {
                done += item.remaining();
                subscriber.onNext(item);
                progress.update(path, done, total);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
