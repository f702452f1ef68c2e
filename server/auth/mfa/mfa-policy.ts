import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";

/**
 * A user manages their own second factor, signed in. An API key is a bearer secret that may leak
 * on its own; it must not be enough to enroll, replace or remove the factor that guards sign-in.
 */
export function assertCanManageOwnMfa(principal: Principal): void {
  if (principal.via === "api_key") {
    throw new AppError("forbidden", "API keys cannot manage two-factor authentication.");
  }
}
