package io.commguard.gateway.profile;

import io.commguard.gateway.model.CanonicalType;
import java.util.Set;

/**
 * A profile section that maps what a device sends to canonical event types. Lets
 * {@link DeviceProfile#eventTypes()} say what a profile can report without knowing its protocol.
 */
public interface ProducesEventTypes {
  /** Every type this section can give an event; codes it does not know (UNKNOWN) are not listed. */
  Set<CanonicalType> eventTypes();
}
