package org.opentrunk.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opentrunk.core.cdr.CallRecord;

/**
 * A {@link CallPort} that records every command a {@link Call} gives, and behaves like the container
 * where the call relies on it: a caller's INVITE takes one final answer only, a dialog lives from
 * its 2xx until the call is invalidated, timers run until cancelled or fired. Tests deliver the
 * responses to what the call sent through the listeners kept here.
 */
final class RecordingPort implements CallPort {

    record Invite(CallTarget target, OutgoingRequest request, CalleeAnswerListener listener, String callId) {
        /** The target answers {@code status}; a 2xx comes with a dialog named after the INVITE's Call-ID. */
        void reply(Reply reply) {
            listener.onReply(reply, reply.isSuccess() ? new TestDialog(callId) : null);
        }

        void reply(int status) {
            reply(Reply.of(status, "Reason " + status));
        }
    }

    record Sent(Leg leg, OutgoingRequest request, ReplyListener listener) {
        void reply(int status) {
            listener.onReply(Reply.of(status, "Reason " + status));
        }
    }

    record HangUp(CalleeDialog dialog, ReplyListener listener) {
    }

    record Ack(Leg leg, byte[] sdp) {
    }

    record TestDialog(String name) implements CalleeDialog {
    }

    final List<Reply> toCaller = new ArrayList<>();
    final List<Reply> droppedToCaller = new ArrayList<>();
    final List<Invite> invites = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    final List<HangUp> hangUps = new ArrayList<>();
    final List<Ack> acks = new ArrayList<>();
    final EnumMap<CallTimer, Duration> timers = new EnumMap<>(CallTimer.class);
    final List<CallRecord> records = new ArrayList<>();
    final List<CallRecord> durableRecords = new ArrayList<>();
    final Set<String> unusableHosts = new java.util.HashSet<>();
    final Set<Leg> alive = EnumSet.of(Leg.CALLER);
    CalleeDialog connected;
    int cancels;
    int setupOvers;
    int releases;
    boolean invalidated;
    boolean callerHasFinal;
    /** What {@link #recordDurably} returns: completed (true) unless a test holds the journal. */
    CompletableFuture<Boolean> journal = CompletableFuture.completedFuture(true);

    /** The container answered the caller's INVITE itself (487 to a CANCEL). */
    void containerAnsweredCaller() {
        callerHasFinal = true;
    }

    Invite lastInvite() {
        return invites.get(invites.size() - 1);
    }

    Sent lastSent() {
        return sent.get(sent.size() - 1);
    }

    Reply lastToCaller() {
        return toCaller.get(toCaller.size() - 1);
    }

    List<Sent> sentOn(Leg leg, String method) {
        return sent.stream().filter(s -> s.leg() == leg && s.request().method().equals(method)).toList();
    }

    @Override
    public void respondToCaller(Reply reply) {
        if (callerHasFinal) {
            droppedToCaller.add(reply);
            return;
        }
        callerHasFinal = reply.isFinal();
        toCaller.add(reply);
    }

    @Override
    public boolean callerHasFinalAnswer() {
        return callerHasFinal;
    }

    @Override
    public void connect(Reply ok, CalleeDialog answered) {
        connected = answered;
        alive.add(Leg.CALLEE);
        respondToCaller(ok);
    }

    @Override
    public String inviteCallee(CallTarget target, OutgoingRequest invite, CalleeAnswerListener listener)
            throws UnusableTarget {
        if (unusableHosts.stream().anyMatch(target.requestUri()::contains)) {
            throw new UnusableTarget(target.label(), null);
        }
        String callId = "callee-" + (invites.size() + 1);
        invites.add(new Invite(target, invite, listener, callId));
        return callId;
    }

    @Override
    public void cancelCallee() {
        cancels++;
    }

    @Override
    public void hangUp(CalleeDialog unwanted, ReplyListener listener) {
        hangUps.add(new HangUp(unwanted, listener));
    }

    @Override
    public boolean dialogAlive(Leg leg) {
        return alive.contains(leg);
    }

    @Override
    public void send(Leg leg, OutgoingRequest request, ReplyListener listener) {
        sent.add(new Sent(leg, request, listener));
    }

    @Override
    public void ack(Leg leg, byte[] sdp) {
        acks.add(new Ack(leg, sdp));
    }

    @Override
    public void startTimer(CallTimer timer, Duration delay) {
        timers.put(timer, delay);
    }

    @Override
    public void startRepeatingTimer(CallTimer timer, Duration period) {
        timers.put(timer, period);
    }

    @Override
    public void cancelTimer(CallTimer timer) {
        timers.remove(timer);
    }

    /** Fires {@code timer} as the container would: only a running one, and a one-shot timer is gone after. */
    void fire(Call call, CallTimer timer) {
        if (!timers.containsKey(timer)) {
            throw new AssertionError(timer + " is not running: " + timers.keySet());
        }
        if (timer != CallTimer.MEDIA_CHECK) {
            timers.remove(timer);
        }
        call.onTimer(timer);
    }

    @Override
    public void continueWhen(CompletionStage<?> work, Runnable step) {
        work.whenComplete((result, error) -> step.run()); // the test completes the work on its own thread
    }

    @Override
    public void record(CallRecord record) {
        records.add(record);
    }

    @Override
    public CompletionStage<Boolean> recordDurably(CallRecord record, Duration bound) {
        durableRecords.add(record);
        return journal;
    }

    @Override
    public void setupOver() {
        setupOvers++;
    }

    @Override
    public void release() {
        releases++;
    }

    @Override
    public void invalidate() {
        invalidated = true;
        alive.clear();
        timers.clear();
    }

    /** Every CDR the call wrote, however: there must be exactly one. */
    CallRecord theRecord() {
        List<CallRecord> all = new ArrayList<>(records);
        all.addAll(durableRecords);
        if (all.size() != 1) {
            throw new AssertionError("expected one CDR, got " + all);
        }
        return all.get(0);
    }
}
