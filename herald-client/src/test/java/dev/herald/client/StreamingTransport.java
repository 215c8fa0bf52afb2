package dev.herald.client;

import dev.herald.client.keys.Keys;
import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.client.transport.ListQuery;
import dev.herald.client.transport.Page;
import dev.herald.client.transport.ProgressEntry;
import dev.herald.client.transport.ProgressOutcome;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport whose streams the test plays: each {@link #events} call is handed to the test ({@link #next()}),
 * which speaks through its sink. Polls read {@link #current}, long polls wait for it to pass their version.
 */
final class StreamingTransport implements Transport {
    record Opened(EventQuery query, String cursor, EventSink sink) {
    }

    private final BlockingQueue<Opened> opened = new LinkedBlockingQueue<>();
    final AtomicInteger streamsClosed = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    private Job current;

    Opened next() throws InterruptedException {
        Opened o = opened.poll(30, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("the watch opened no stream");
        }
        return o;
    }

    boolean noneOpened() {
        return opened.isEmpty();
    }

    synchronized void current(Job job) {
        current = job;
        notifyAll();
    }

    @Override
    public EventStream events(EventQuery query, String cursor, EventSink sink) {
        opened.add(new Opened(query, cursor, sink));
        return streamsClosed::incrementAndGet;
    }

    @Override
    public synchronized Job awaitChange(String id, long afterVersion, Duration wait) {
        polls.incrementAndGet();
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (current.version() <= afterVersion && end - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, end - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.herald.core.model.HeraldException(dev.herald.core.model.ErrorCode.UNAVAILABLE, "stopped");
        }
        return current;
    }

    @Override
    public synchronized Job get(String id) {
        return current;
    }

    @Override
    public List<LogLine> logs(String id, long afterSeq, int limit) {
        return List.of();
    }

    @Override
    public Page list(ListQuery query) {
        return new Page(List.of(), null);
    }

    @Override
    public Job create(NewJob job, RawJson input) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job start(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job complete(String id, RawJson result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job fail(String id, JobError error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job cancel(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job retry(String id, java.time.Duration delay) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job claim(dev.herald.core.command.ClaimRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RawJson input(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public dev.herald.client.transport.Transport leased(String leaseToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job retry(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long log(String id, LogEntry entry) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long progress(String id, ProgressReport report) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ProgressOutcome> progress(List<ProgressEntry> entries) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void heartbeat(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Keys keys() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
