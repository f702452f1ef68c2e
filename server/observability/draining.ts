import { slot } from "../singleton";

/**
 * Set when the process is told to stop (SIGTERM): from then on /ready answers 503, so load
 * balancers stop sending requests here while those in flight finish. On globalThis: the custom
 * server sets it and /ready may be answered by Next's copy of the modules.
 */
const draining = slot<boolean>("observability:draining");

export const markDraining = (value = true): void => draining.set(value);

export const isDraining = (): boolean => draining.get() === true;
