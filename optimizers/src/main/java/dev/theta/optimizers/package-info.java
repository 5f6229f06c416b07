/**
 * Optimizers and learning-rate schedules with PyTorch's update rules, defaults and validation.
 *
 * <p>Optimizers ({@code sgd}, {@code adagrad}, {@code rmsprop}, {@code adam}, {@code adamw}) write their update
 * with graph primitives, so it runs inside the training graph on every backend; their state starts at PyTorch's
 * initial values and the step t counts from 1.
 *
 * <p>Schedules ({@code constant}, {@code step}, {@code exponential}, {@code cosine}) run on the host: the training
 * loop calls {@code at(t)} for optimizer step t = 1, 2, … and feeds the result to the step graph's lr input. Every
 * schedule has these options:
 * <ul>
 * <li>{@code unit}: {@code epoch} (the default) or {@code step}. All lengths ({@code step-size}, {@code t-max},
 * {@code warmup}) count in this unit, and so does the scheduler count k. With {@code epoch}, k is the number of
 * finished epochs, ⌊(t − 1) / stepsPerEpoch⌋: every step of epoch e (0-based) gets the lr of k = e, exactly as
 * calling PyTorch's {@code scheduler.step()} after each epoch. With {@code step}, k = t − 1: as calling
 * {@code scheduler.step()} after each {@code optimizer.step()}.
 * <li>{@code warmup} (W, default 0) and {@code warmup-start-factor} (f, default 1/3): for k &lt; W the lr is
 * lr·(f + (1 − f)·k / W), PyTorch's {@code LinearLR(start_factor=f, total_iters=W)}; from k = W on, the schedule's
 * own curve runs with its count restarted at k − W. That is
 * {@code SequentialLR([LinearLR(f, total_iters=W), schedule], milestones=[W])}.
 * </ul>
 */
package dev.theta.optimizers;
