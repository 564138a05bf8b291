/**
 * SIP digest authentication of customers (IC-DIGEST): RFC 3261 section 22 on top of RFC 2617,
 * qop=auth only, MD5 and SHA-256 (RFC 7616, RFC 8760). Challenges offer MD5 alone unless the
 * operator lists SHA-256 too ({@link org.opentrunk.core.auth.digest.DigestAlgorithm#DEFAULT_OFFER}):
 * some deployed clients give up on any SHA-256 challenge.
 *
 * <p>How the SIP layer uses it, one request at a time:
 * <ol>
 *   <li>No credentials: answer with {@link org.opentrunk.core.auth.digest.DigestChallenge#issue}
 *       rendered by {@code headerValues(offered)}, one header per algorithm offered
 *       (407 {@code Proxy-Authenticate} for INVITE, 401 {@code WWW-Authenticate} for REGISTER).
 *   <li>Credentials present: {@link org.opentrunk.core.auth.digest.DigestCredentials#parse}
 *       ({@code 400 Bad Request} on {@link org.opentrunk.core.auth.digest.MalformedCredentialsException}),
 *       look up the customer's stored {@link org.opentrunk.core.auth.digest.Ha1} for the username and
 *       {@code credentials.algorithm()}, and hand it, present or not, to
 *       {@link org.opentrunk.core.auth.digest.DigestVerifier#verify}.
 *   <li>Act on {@link org.opentrunk.core.auth.digest.DigestOutcome#verdict()}: go on, re-challenge
 *       with {@code stale=true}, or re-challenge afresh.
 * </ol>
 *
 * <p>Plain Java on purpose: no servlet or SIP container types, so every rule is a unit test.
 */
package org.opentrunk.core.auth.digest;
