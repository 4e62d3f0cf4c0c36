package org.seedagent.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSource;

/** A hand-written MetadataSource: items from a map, or a configured failure; records what was asked. */
public final class FakeMetadataSource implements MetadataSource {
    private final Map<String, String> items = new HashMap<>();
    private final List<String> requests = new ArrayList<>();
    private MetadataException failure;
    private boolean closed;

    public FakeMetadataSource with(String item, String value) {
        items.put(item, value);
        return this;
    }

    public FakeMetadataSource failingWith(MetadataException failure) {
        this.failure = failure;
        return this;
    }

    @Override
    public Optional<String> get(String path) throws MetadataException {
        requests.add(path);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(items.get(path));
    }

    public List<String> requests() {
        return requests;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
