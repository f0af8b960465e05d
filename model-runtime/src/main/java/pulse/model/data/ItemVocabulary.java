package pulse.model.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * External item id (as written in the data) to the model's internal index 1..size; 0 is reserved for padding.
 * Stored in the model manifest so a served model maps ids exactly as it did in training.
 */
public final class ItemVocabulary {
    private final List<String> external = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private boolean frozen;

    public static ItemVocabulary of(List<String> externalIds) {
        ItemVocabulary v = new ItemVocabulary();
        for (String id : externalIds) {
            if (v.index.containsKey(id)) throw new IllegalArgumentException("duplicate item id " + id);
            v.add(id);
        }
        v.frozen = true;
        return v;
    }

    /** Index for an id, adding it if this vocabulary is still open; -1 if frozen and unknown. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        if (i != null) return i;
        return frozen ? -1 : add(id);
    }

    public String externalId(int internalIndex) {
        return external.get(internalIndex - 1);
    }

    public int size() {
        return external.size();
    }

    public ItemVocabulary freeze() {
        frozen = true;
        return this;
    }

    public List<String> externalIds() {
        return Collections.unmodifiableList(external);
    }

    private int add(String id) {
        external.add(id);
        int i = external.size();
        index.put(id, i);
        return i;
    }
}
