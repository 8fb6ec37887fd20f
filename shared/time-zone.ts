/** A fixed UTC offset written as a zone (`+03:30`, `-05:00`); zod-free so content scripts can use it. */
export const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;
