/** Rows of a dashboard's child-unit table shown (and exported) unless all are asked for with ?don_vi=tat_ca. */
export const CHILD_ROWS_SHOWN = 20;
