package org.opentrunk.call;

/**
 * A dialog a target's 2xx created, as an opaque handle of the adapter's: the call hands it back to
 * {@link CallPort#connect} to make it the callee's leg, or to {@link CallPort#hangUp} when nobody
 * wants it any more.
 */
public interface CalleeDialog {
}
