export { bfclCategory, UnsupportedBfclCategoryError } from "./category.js";
export {
  type BfclImportInput,
  importBfcl,
  isBfclQuestion,
  readBfclFiles,
} from "./import.js";
export { bfclSchemaToJsonSchema, UnsupportedBfclTypeError } from "./schema.js";
