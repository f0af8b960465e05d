package pulse.engine.common;

/**
 * Marker for every message that crosses nodes and every event or snapshot that is persisted: bound
 * to Jackson CBOR in {@code conf/serialization.conf}. Marking types (rather than listing classes)
 * keeps that binding correct as protocols grow.
 */
public interface CborSerializable {}
