package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A graph compiled into an ONNX Runtime session for one batch size, with the CPU backend's contract:
 * <ul>
 *   <li>non-carried inputs (batches, learning rate, step) keep one {@link Tensor} object for the executable's
 *       lifetime: fetch it once and refill it in place before each run;</li>
 *   <li>after each {@link #run}, every carried output replaces its input by exchanging the two tensor objects, so
 *       call {@link #input} again after every run for carried inputs (parameters, optimizer state); writing into
 *       it before a run (loading a checkpoint) works;</li>
 *   <li>{@link #output} of a carried output is the tensor of the input it is carried into; other outputs keep one
 *       tensor object, overwritten by each run.</li>
 * </ul>
 *
 * <p><b>Several steps per call.</b> When {@link #stepsPerCall()} is K > 1 (a step graph compiled with the
 * {@code steps-per-call} option), one {@link #run} performs K steps inside ONNX Runtime: every non-carried input and
 * output has an extra leading axis of size K (slice i is step i's minibatch, learning rate and step counter; its
 * loss and scores), while carried inputs and outputs keep their shapes and hold the values before the first and
 * after the last of the K steps.
 *
 * <p>Each run copies the non-carried inputs into direct buffers that ONNX Runtime reads in place, and the
 * non-carried outputs, which it writes into preallocated direct buffers, back into their tensors. Carried values
 * (parameters, optimizer state) stay in the native buffers from run to run: the output buffer a run wrote becomes
 * the next run's input buffer and the old input buffer receives the next output, so a step copies none of them. A
 * carried input is copied to its tensor only when {@link #input} asks for it, and copied back before the next run,
 * since the caller may have written into it. Not thread-safe.
 */
public final class OrtExecutable implements Executable {
    private final OrtSession session;
    private final int steps;
    private final Map<String, DirectTensor> inputs;
    private final Map<String, DirectTensor> outputs;
    private final Map<String, String> carries;
    private final Set<String> carriedInputs;
    private final Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    private final Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
    private boolean closed;

    OrtExecutable(OrtSession session, int steps, Map<String, DirectTensor> inputs, Map<String, DirectTensor> outputs,
                  Map<String, String> carries) {
        this.session = session;
        this.steps = steps;
        this.inputs = new LinkedHashMap<>(inputs);
        this.outputs = new LinkedHashMap<>(outputs);
        this.carries = Map.copyOf(carries);
        this.carriedInputs = Set.copyOf(carries.values());
        inputs.forEach((name, t) -> feeds.put(name, t.ort()));
        outputs.forEach((name, t) -> pinned.put(name, t.ort()));
    }

    /** How many training steps one {@link #run} performs (see the class comment). */
    @Override
    public int stepsPerCall() {
        return steps;
    }

    @Override
    public Tensor input(String name) {
        DirectTensor t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no graph input '" + name + "'; inputs: " + inputs.keySet());
        }
        return t.expose();
    }

    @Override
    public void run() {
        if (closed) {
            throw new IllegalStateException("executable is closed");
        }
        for (Map.Entry<String, DirectTensor> in : inputs.entrySet()) {
            if (carriedInputs.contains(in.getKey())) {
                in.getValue().pushIfExposed();
            } else {
                in.getValue().push();
            }
        }
        try (OrtSession.Result ignored = session.run(feeds, pinned)) {
            for (Map.Entry<String, DirectTensor> o : outputs.entrySet()) {
                if (!carries.containsKey(o.getKey())) {
                    o.getValue().pull();
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the graph: " + e.getMessage(), e);
        }
        carries.forEach((out, in) -> {
            // The buffer just written holds the input of the next run; the old input buffer takes the next output.
            DirectTensor written = outputs.get(out);
            DirectTensor spent = inputs.get(in);
            written.markNativeNewer();
            inputs.put(in, written);
            outputs.put(out, spent);
            feeds.put(in, written.ort());
            pinned.put(out, spent.ort());
        });
    }

    @Override
    public Tensor output(String name) {
        String carriedInto = carries.get(name);
        if (carriedInto != null) {
            return input(carriedInto);
        }
        DirectTensor t = outputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no graph output '" + name + "'; outputs: " + outputs.keySet());
        }
        return t.tensor();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inputs.values().forEach(DirectTensor::close);
        outputs.values().forEach(DirectTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close the ONNX Runtime session", e);
        }
    }
}
