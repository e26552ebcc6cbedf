// protobufjs decodes 64-bit integers as Long objects whenever the `long` package is resolvable (it is, in Node),
// although the generated typings (pbjs --force-number) promise plain numbers. Browsers without `long` get numbers.
// Forcing numbers everywhere keeps both sides identical and the typings true. Import this module before the
// generated code (it must stay free of other imports so that it really runs first); uint64.ts repairs values
// decoded by a runtime configured elsewhere.
import $protobuf from 'protobufjs/minimal.js';

if ($protobuf.util.Long) {
  ($protobuf.util as { Long: unknown }).Long = null;
  $protobuf.configure();
}
