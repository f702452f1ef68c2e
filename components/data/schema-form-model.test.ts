import { describe, expect, it } from "vitest";

import { formFields, formPayload, formValues, serverFieldErrors } from "./schema-form-model";

const schema = {
  type: "object",
  required: ["name", "total", "status"],
  properties: {
    name: { type: "string", title: "Customer name" },
    total: { type: "number" },
    items: { type: "integer" },
    paid: { type: "boolean" },
    status: { enum: ["open", "paid", 3] },
    address: { type: "object", properties: { city: { type: "string" } } },
    note: { type: ["string", "null"] },
  },
};

describe("schema form model", () => {
  it("makes one typed field per property, nested values as JSON", () => {
    expect(formFields(schema).map((f) => [f.key, f.kind, f.required])).toEqual([
      ["name", "string", true],
      ["total", "number", true],
      ["items", "integer", false],
      ["paid", "boolean", false],
      ["status", "enum", true],
      ["address", "json", false],
      ["note", "string", false],
    ]);
    expect(formFields(schema)[0]!.label).toBe("Customer name");
    expect(formFields(null)).toEqual([]);
  });

  it("turns values into a typed payload, keeping keys the schema does not name", () => {
    const fields = formFields(schema);
    const { payload, errors } = formPayload(
      fields,
      {
        name: "Ada",
        total: "12.5",
        items: "3",
        paid: true,
        status: '"paid"',
        address: '{"city":"Lyon"}',
        note: "",
      },
      { extra: 1, note: "old" },
    );
    expect(errors).toEqual({});
    expect(payload).toEqual({
      extra: 1,
      name: "Ada",
      total: 12.5,
      items: 3,
      paid: true,
      status: "paid",
      address: { city: "Lyon" },
    });
  });

  it("says what is wrong at each field", () => {
    const { errors } = formPayload(formFields(schema), {
      name: " ",
      total: "12,5",
      items: "2.5",
      status: "",
      address: "{city",
    });
    expect(errors).toEqual({
      name: "Required.",
      total: "Must be a number, like 12 or 3.5.",
      items: "Must be a whole number.",
      status: "Required.",
      address: "Not valid JSON.",
    });
  });

  it("reads a payload back into values, round trip included", () => {
    const fields = formFields(schema);
    const record = { name: "Ada", total: 2, status: 3, address: { city: "Paris" }, paid: false };
    const values = formValues(fields, record);
    expect(values).toMatchObject({ name: "Ada", total: "2", status: "3", paid: false, items: "" });
    expect(formPayload(fields, values).payload).toEqual(record);
  });

  it("places the server's schema failures at their fields", () => {
    const fields = formFields(schema);
    const error = {
      data: {
        error_code: "validation_failed",
        details: [
          {
            index: 0,
            errors: [
              { path: "/total", message: "must be >= 0" },
              { path: "", message: "must have required property 'name'" },
              { path: "", message: "must NOT have additional properties" },
            ],
          },
        ],
      },
    };
    expect(serverFieldErrors(error as never, fields)).toEqual({
      byField: { total: "must be >= 0", name: "must have required property 'name'" },
      other: ["(whole payload): must NOT have additional properties"],
    });
  });
});
