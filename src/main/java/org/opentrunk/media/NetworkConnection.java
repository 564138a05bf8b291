package org.opentrunk.media;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * One leg's side of an anchored call: the ports OpenTrunk opened for that leg's endpoint (the
 * customer's PBX, or the carrier's gateway), and what that endpoint's SDP says.
 *
 * <p>The relay joins the two legs, so each description that arrives on this leg leaves on the
 * other one: {@link #processRemoteOffer} and {@link #processRemoteAnswer} take the SDP this leg's
 * endpoint sent and return the SDP to send to the other leg's endpoint, with OpenTrunk's media
 * address and the other leg's ports in place of this endpoint's. Codecs are left as they are: the
 * codec policy is applied by the SIP code before (the relay does not transcode).
 *
 * <p>Thread-safe; the SIP code calls these from its own threads.
 */
public interface NetworkConnection {

    /** Which leg this is. */
    Leg leg();

    /** Where this leg's endpoint is to send RTP (UDPTL after a T.38 switch): OpenTrunk's address and this leg's even port. */
    InetSocketAddress localRtpAddress();

    /** Where this leg's endpoint is to send RTCP: the odd port after {@link #localRtpAddress()}. */
    InetSocketAddress localRtcpAddress();

    /**
     * Where media for this leg's endpoint goes: the source its first packet came from once one has
     * (symmetric RTP latching, for endpoints behind NAT), the address in its SDP before; empty until
     * either is known.
     */
    Optional<InetSocketAddress> remoteRtpAddress();

    /**
     * This leg's endpoint made an offer (an INVITE, a re-INVITE, or a 200 to an INVITE without SDP).
     * The first description of a leg takes effect at once, so that early media flows; a re-offer
     * takes effect when the other leg answers it. A T.38 re-offer (IC-FAX) comes back with the
     * T.38 parameters enforced ({@link org.opentrunk.core.sdp.T38Policy#enforce}).
     *
     * @return the offer to send to the other leg
     * @throws BadSdpException           when the description has no stream the relay can carry
     * @throws SessionReleasedException  when the session is already released
     */
    SessionDescription processRemoteOffer(SessionDescription offer) throws MediaException;

    /**
     * This leg's endpoint answered the other leg's offer (a 183 or 200 with SDP; calling it again
     * for the 200 after a 183 is fine). Both legs' descriptions take effect; when the offer was
     * T.38 and this answer accepts it, the session switches to relaying UDPTL and
     * {@link MediaListener#modeChanged} follows. An answer that refuses the T.38 stream (port 0)
     * leaves the call on G.711, like a 488.
     *
     * @return the answer to send to the other leg
     * @throws IllegalStateException     when the other leg has made no offer
     * @throws BadSdpException           as {@link #processRemoteOffer}
     * @throws SessionReleasedException  when the session is already released
     */
    SessionDescription processRemoteAnswer(SessionDescription answer) throws MediaException;

    /** {@link #processRemoteOffer(SessionDescription)} on a message body; malformed bodies are {@link BadSdpException}s with status 400. */
    byte[] processRemoteOffer(byte[] offer) throws MediaException;

    /** {@link #processRemoteAnswer(SessionDescription)} on a message body. */
    byte[] processRemoteAnswer(byte[] answer) throws MediaException;

    /**
     * The other leg refused the offer this leg's endpoint made (488, 606 or any other failure of a
     * re-INVITE): nothing changes, a call on G.711 stays on G.711 (IC-FAX). Does nothing when no
     * offer of this leg is pending.
     */
    void offerRejected();

    /** Packets (RTP, RTCP, UDPTL) from this leg's endpoint passed on to the other leg. */
    long packetsRelayed();

    /** DTMF digits this leg's endpoint has sent. */
    int digitCount();

    /**
     * The digits this leg's endpoint has sent, in order, when {@link MediaSettings#keepDigits} is
     * on (at most {@link RelaySession#MAX_KEPT_DIGITS}); empty otherwise.
     */
    String digits();
}
