module dev.kiln {
  exports dev.kiln.asm;
  exports dev.kiln.runtime;
}
