import Type from 'typebox';

/** The one error shape (see server/errors.ts), for OpenAPI. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
});
