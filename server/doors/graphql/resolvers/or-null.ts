import { AppError } from "../../../errors/app-error";

/** A nullable field's answer to "not found": null, as GraphQL clients expect; other errors stay. */
export async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}
