package org.opentrunk.admin;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;

/**
 * The REST API and the admin pages (the login's POST too, issue 25) take request bodies of at most
 * {@value #MAX_BODY_BYTES} bytes and answer 413 to larger ones (mapped in WEB-INF/web.xml). A page's
 * form body must declare its length (browsers always do): a chunked one is refused with 411, since
 * the container parses form parameters from its own stream, past any wrapper. A declared Content-Length over the limit
 * is refused before a byte is read; a body without one (chunked) is read up to one byte past the
 * limit and refused there, so no request makes the server hold more than the limit in memory.
 * The largest legitimate body, a customer with its addresses, is a few kilobytes.
 */
public class RequestBodyLimitFilter implements Filter {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = http.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            tooLarge(out);
            return;
        }
        boolean page = !AdminAccessFilter.path(http).startsWith(AdminAccessFilter.API_PATH);
        if (page && declared < 0 && !SameOriginFilter.SAFE_METHODS.contains(http.getMethod())) {
            out.setHeader("Connection", "close");
            out.sendError(HttpServletResponse.SC_LENGTH_REQUIRED);
            return;
        }
        boolean chunked = declared < 0 && http.getHeader("Transfer-Encoding") != null;
        if (!chunked) {
            chain.doFilter(request, response); // the container stops reading at Content-Length
            return;
        }
        byte[] body = http.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            tooLarge(out);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(http, body), response);
    }

    private static void tooLarge(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // the rest of the body is not read
        response.setStatus(413);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":413,\"error\":\"request body larger than " + MAX_BODY_BYTES + " bytes\"}");
    }

    /** The request with its (small) body already read. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
