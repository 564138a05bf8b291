package org.opentrunk.admin;

import java.util.logging.Level;
import java.util.logging.Logger;
import javax.json.bind.JsonbException;
import javax.ws.rs.ProcessingException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.Provider;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.DuplicateException;
import org.opentrunk.store.InUseException;
import org.opentrunk.store.NotFoundException;

/**
 * Turns every failure into a JSON {@link ApiError} with the right status: bad values 422 naming
 * the field, unparseable JSON 400, unknown ids 404, clashes 409. Nothing else escapes as a 500
 * with a stack trace; unexpected errors are logged and answered with a plain 500.
 */
public final class ApiErrorMappers {

    private static final Logger LOG = Logger.getLogger(ApiErrorMappers.class.getName());

    private ApiErrorMappers() {
    }

    static Response error(int status, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, message, field)).build();
    }

    @Provider
    public static class InvalidField implements ExceptionMapper<InvalidFieldException> {
        @Override
        public Response toResponse(InvalidFieldException e) {
            return error(422, e.getMessage(), e.field());
        }
    }

    @Provider
    public static class Duplicate implements ExceptionMapper<DuplicateException> {
        @Override
        public Response toResponse(DuplicateException e) {
            return error(409, e.getMessage(), e.field());
        }
    }

    @Provider
    public static class InUse implements ExceptionMapper<InUseException> {
        @Override
        public Response toResponse(InUseException e) {
            return error(409, e.getMessage(), null);
        }
    }

    @Provider
    public static class NotFound implements ExceptionMapper<NotFoundException> {
        @Override
        public Response toResponse(NotFoundException e) {
            return error(404, e.getMessage(), null);
        }
    }

    @Provider
    public static class BadJson implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return error(400, "malformed JSON: " + e.getMessage(), null);
        }
    }

    @Provider
    public static class BadBody implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return error(400, "unreadable request body: " + e.getMessage(), null);
        }
    }

    /** JAX-RS's own errors (404 path, 405, 415 ...) keep their status, with a JSON body. */
    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonbException) {
                return error(400, "malformed JSON: " + cause.getMessage(), null);
            }
            return error(e.getResponse().getStatus(), e.getMessage(), null);
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
                if (root instanceof InvalidFieldException f) {
                    return new InvalidField().toResponse(f);
                }
                if (root instanceof DuplicateException d) {
                    return new Duplicate().toResponse(d);
                }
                if (root instanceof NotFoundException n) {
                    return new NotFound().toResponse(n);
                }
                if (root instanceof InUseException u) {
                    return new InUse().toResponse(u);
                }
            }
            LOG.log(Level.WARNING, "API request failed", e);
            return error(500, "internal error; see the server log", null);
        }
    }
}
