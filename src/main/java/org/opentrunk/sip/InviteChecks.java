package org.opentrunk.sip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.methods.MethodPolicy;

/** Checks every initial INVITE gets, whichever way it goes. */
final class InviteChecks {

    private InviteChecks() {
    }

    /** True when a Supported or Require header of the request names the "timer" option tag (RFC 4028). */
    static boolean listsTimer(SipServletRequest request) {
        return optionTags(request, "Supported").contains(MethodPolicy.SUPPORTED_EXTENSIONS)
                || optionTags(request, "Require").contains(MethodPolicy.SUPPORTED_EXTENSIONS);
    }

    /**
     * RFC 3261 §8.2.2.3: a request that requires an extension OpenTrunk does not implement is
     * refused with 420 naming it in Unsupported. OpenTrunk supports "timer".
     */
    static Optional<String> unsupportedRequiredExtensions(SipServletRequest request) {
        List<String> unsupported = optionTags(request, "Require").stream()
                .filter(tag -> !MethodPolicy.SUPPORTED_EXTENSIONS.equals(tag)).toList();
        return unsupported.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", unsupported));
    }

    /** The option tags of every value of a Supported/Require header, lower-cased (they are case-insensitive). */
    private static List<String> optionTags(SipServletRequest request, String header) {
        List<String> tags = new ArrayList<>();
        for (String value : CarrierLegHeaders.values(request, header)) {
            Arrays.stream(value.split(",")).map(t -> t.trim().toLowerCase(java.util.Locale.ROOT))
                    .filter(t -> !t.isEmpty()).forEach(tags::add);
        }
        return tags;
    }
}
