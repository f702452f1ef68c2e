import { notFound } from "../route";

// Unknown /api/v1/lake paths answer 404 in the envelope, whatever the method.
const handler = notFound("/api/v1/lake/[...path]");

export {
  handler as DELETE,
  handler as GET,
  handler as HEAD,
  handler as OPTIONS,
  handler as PATCH,
  handler as POST,
  handler as PUT,
};
