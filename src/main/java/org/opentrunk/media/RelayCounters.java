package org.opentrunk.media;

/**
 * The counters of one relay thread. Only that thread writes them, so a volatile field and a plain
 * increment are exact (no lost updates with one writer), and other threads read current values
 * without a lock on the packet path.
 */
final class RelayCounters {
    volatile long packetsRelayed;
    volatile long bytesRelayed;
    volatile long droppedUnlatched;
    volatile long droppedNoDestination;
    volatile long droppedSendFailed;
    volatile long digits;

    void relayed(int bytes) {
        packetsRelayed++;
        bytesRelayed += bytes;
    }
}
