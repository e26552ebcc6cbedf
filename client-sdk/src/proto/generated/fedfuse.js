/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $Array = $util.global.Array, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $Boolean = $util.global.Boolean, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const fedfuse = $root.fedfuse = (() => {

    /**
     * Namespace fedfuse.
     * @exports fedfuse
     * @namespace
     */
    const fedfuse = {};

    fedfuse.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof fedfuse
         * @namespace
         */
        const v1 = {};

        /**
         * DType enum.
         * @name fedfuse.v1.DType
         * @enum {number}
         * @property {number} FLOAT32=0 FLOAT32 value
         * @property {number} FLOAT16=1 FLOAT16 value
         * @property {number} INT32=2 INT32 value
         */
        v1.DType = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "FLOAT32"] = 0;
            values[valuesById[1] = "FLOAT16"] = 1;
            values[valuesById[2] = "INT32"] = 2;
            return values;
        })();

        v1.Tensor = (function() {

            /**
             * Properties of a Tensor.
             * @typedef {Object} fedfuse.v1.Tensor.$Properties
             * @property {string|null} [name] Tensor name
             * @property {Array.<number>|null} [shape] Tensor shape
             * @property {fedfuse.v1.DType|null} [dtype] Tensor dtype
             * @property {Uint8Array|null} [data] Tensor data
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Tensor.
             * @memberof fedfuse.v1
             * @interface ITensor
             * @augments fedfuse.v1.Tensor.$Properties
             * @deprecated Use fedfuse.v1.Tensor.$Properties instead.
             */

            /**
             * Shape of a Tensor.
             * @typedef {fedfuse.v1.Tensor.$Properties} fedfuse.v1.Tensor.$Shape
             */

            /**
             * Constructs a new Tensor.
             * @memberof fedfuse.v1
             * @classdesc Represents a Tensor.
             * @constructor
             * @param {fedfuse.v1.Tensor.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Tensor = function (properties) {
                this.shape = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Tensor name.
             * @member {string} name
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.name = "";

            /**
             * Tensor shape.
             * @member {Array.<number>} shape
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.shape = $util.emptyArray;

            /**
             * Tensor dtype.
             * @member {fedfuse.v1.DType} dtype
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.dtype = 0;

            /**
             * Tensor data.
             * @member {Uint8Array} data
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.data = $util.newBuffer([]);

            /**
             * Creates a new Tensor instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.Tensor.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Tensor} Tensor instance
             * @type {{
             *   (properties: fedfuse.v1.Tensor.$Shape): fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape;
             *   (properties?: fedfuse.v1.Tensor.$Properties): fedfuse.v1.Tensor;
             * }}
             */
            Tensor.create = function(properties) {
                return new Tensor(properties);
            };

            /**
             * Encodes the specified Tensor message. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.Tensor.$Properties} message Tensor message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Tensor.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.shape != null && message.shape.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).uint32s(message.shape);
                if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype") && message.dtype !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.dtype);
                if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.data);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Tensor message, length delimited. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.Tensor.$Properties} message Tensor message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Tensor.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Tensor message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape} Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Tensor.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Tensor();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType === 2) {
                                if (!(message.shape && message.shape.length))
                                    message.shape = [];
                                reader.uint32s(message.shape);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.shape && message.shape.length))
                                message.shape = [];
                            message.shape.push(reader.uint32());
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.dtype = value;
                            else
                                delete message.dtype;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.data = value;
                            else
                                delete message.data;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Tensor message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape} Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Tensor.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Tensor message.
             * @function verify
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Tensor.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.shape != null && $Object.hasOwnProperty.call(message, "shape")) {
                    if (!$Array.isArray(message.shape))
                        return "shape: array expected";
                    for (let i = 0; i < message.shape.length; ++i)
                        if (!$util.isInteger(message.shape[i]))
                            return "shape: integer[] expected";
                }
                if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype"))
                    if (typeof message.dtype !== "number" || (message.dtype | 0) !== message.dtype)
                        return "dtype: enum value expected";
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    if (!(message.data && typeof message.data.length === "number" || $util.isString(message.data)))
                        return "data: buffer expected";
                return null;
            };

            /**
             * Creates a Tensor message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Tensor} Tensor
             */
            Tensor.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Tensor)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Tensor: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Tensor();
                if (object.name != null)
                    if (typeof object.name !== "string" || object.name.length)
                        message.name = $String(object.name);
                if (object.shape) {
                    if (!$Array.isArray(object.shape))
                        throw $TypeError(".fedfuse.v1.Tensor.shape: array expected");
                    message.shape = $Array(object.shape.length);
                    for (let i = 0; i < object.shape.length; ++i)
                        message.shape[i] = object.shape[i] >>> 0;
                }
                if (object.dtype !== 0 && (typeof object.dtype !== "string" || $root.fedfuse.v1.DType[object.dtype] !== 0))
                    switch (object.dtype) {
                    case "FLOAT32":
                    case 0:
                        message.dtype = 0;
                        break;
                    case "FLOAT16":
                    case 1:
                        message.dtype = 1;
                        break;
                    case "INT32":
                    case 2:
                        message.dtype = 2;
                        break;
                    default:
                        if (typeof object.dtype === "number" && (object.dtype | 0) === object.dtype)
                            message.dtype = object.dtype;
                    }
                if (object.data != null)
                    if (object.data.length)
                        if (typeof object.data === "string")
                            $util.base64.decode(object.data, message.data = $util.newBuffer($util.base64.length(object.data)), 0);
                        else if (object.data.length >= 0)
                            message.data = object.data;
                return message;
            };

            /**
             * Creates a plain object from a Tensor message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.Tensor} message Tensor
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Tensor.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.shape = [];
                if (options.defaults) {
                    object.name = "";
                    object.dtype = options.enums === $String ? "FLOAT32" : 0;
                    if (options.bytes === $String)
                        object.data = "";
                    else {
                        object.data = [];
                        if (options.bytes !== $Array)
                            object.data = $util.newBuffer(object.data);
                    }
                }
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.shape && message.shape.length) {
                    object.shape = $Array(message.shape.length);
                    for (let j = 0; j < message.shape.length; ++j)
                        object.shape[j] = message.shape[j];
                }
                if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype"))
                    object.dtype = options.enums === $String ? $root.fedfuse.v1.DType[message.dtype] === $undefined ? message.dtype : $root.fedfuse.v1.DType[message.dtype] : message.dtype;
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    object.data = options.bytes === $String ? $util.base64.encode(message.data, 0, message.data.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.data) : message.data;
                return object;
            };

            /**
             * Converts this Tensor to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Tensor
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Tensor.prototype.toJSON = function() {
                return Tensor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Tensor
             * @function getTypeUrl
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Tensor.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Tensor";
            };

            return Tensor;
        })();

        v1.ModelPayload = (function() {

            /**
             * Properties of a ModelPayload.
             * @typedef {Object} fedfuse.v1.ModelPayload.$Properties
             * @property {string|null} [topologyJson] ModelPayload topologyJson
             * @property {Array.<fedfuse.v1.Tensor.$Properties>|null} [weights] ModelPayload weights
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ModelPayload.
             * @memberof fedfuse.v1
             * @interface IModelPayload
             * @augments fedfuse.v1.ModelPayload.$Properties
             * @deprecated Use fedfuse.v1.ModelPayload.$Properties instead.
             */

            /**
             * Shape of a ModelPayload.
             * @typedef {fedfuse.v1.ModelPayload.$Properties} fedfuse.v1.ModelPayload.$Shape
             */

            /**
             * Constructs a new ModelPayload.
             * @memberof fedfuse.v1
             * @classdesc Represents a ModelPayload.
             * @constructor
             * @param {fedfuse.v1.ModelPayload.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ModelPayload = function (properties) {
                this.weights = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ModelPayload topologyJson.
             * @member {string} topologyJson
             * @memberof fedfuse.v1.ModelPayload
             * @instance
             */
            ModelPayload.prototype.topologyJson = "";

            /**
             * ModelPayload weights.
             * @member {Array.<fedfuse.v1.Tensor.$Properties>} weights
             * @memberof fedfuse.v1.ModelPayload
             * @instance
             */
            ModelPayload.prototype.weights = $util.emptyArray;

            /**
             * Creates a new ModelPayload instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {fedfuse.v1.ModelPayload.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.ModelPayload} ModelPayload instance
             * @type {{
             *   (properties: fedfuse.v1.ModelPayload.$Shape): fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape;
             *   (properties?: fedfuse.v1.ModelPayload.$Properties): fedfuse.v1.ModelPayload;
             * }}
             */
            ModelPayload.create = function(properties) {
                return new ModelPayload(properties);
            };

            /**
             * Encodes the specified ModelPayload message. Does not implicitly {@link fedfuse.v1.ModelPayload.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {fedfuse.v1.ModelPayload.$Properties} message ModelPayload message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ModelPayload.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.topologyJson != null && $Object.hasOwnProperty.call(message, "topologyJson") && message.topologyJson !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.topologyJson);
                if (message.weights != null && message.weights.length)
                    for (let i = 0; i < message.weights.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.weights[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ModelPayload message, length delimited. Does not implicitly {@link fedfuse.v1.ModelPayload.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {fedfuse.v1.ModelPayload.$Properties} message ModelPayload message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ModelPayload.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ModelPayload message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape} ModelPayload
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ModelPayload.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.ModelPayload();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.topologyJson = value;
                            else
                                delete message.topologyJson;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.weights && message.weights.length))
                                message.weights = [];
                            message.weights.push($root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ModelPayload message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape} ModelPayload
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ModelPayload.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ModelPayload message.
             * @function verify
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ModelPayload.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.topologyJson != null && $Object.hasOwnProperty.call(message, "topologyJson"))
                    if (!$util.isString(message.topologyJson))
                        return "topologyJson: string expected";
                if (message.weights != null && $Object.hasOwnProperty.call(message, "weights")) {
                    if (!$Array.isArray(message.weights))
                        return "weights: array expected";
                    for (let i = 0; i < message.weights.length; ++i) {
                        let error = $root.fedfuse.v1.Tensor.verify(message.weights[i], _depth + 1);
                        if (error)
                            return "weights." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a ModelPayload message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.ModelPayload} ModelPayload
             */
            ModelPayload.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.ModelPayload)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.ModelPayload: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.ModelPayload();
                if (object.topologyJson != null)
                    if (typeof object.topologyJson !== "string" || object.topologyJson.length)
                        message.topologyJson = $String(object.topologyJson);
                if (object.weights) {
                    if (!$Array.isArray(object.weights))
                        throw $TypeError(".fedfuse.v1.ModelPayload.weights: array expected");
                    message.weights = $Array(object.weights.length);
                    for (let i = 0; i < object.weights.length; ++i) {
                        if (!$util.isObject(object.weights[i]))
                            throw $TypeError(".fedfuse.v1.ModelPayload.weights: object expected");
                        message.weights[i] = $root.fedfuse.v1.Tensor.fromObject(object.weights[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a ModelPayload message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {fedfuse.v1.ModelPayload} message ModelPayload
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ModelPayload.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.weights = [];
                if (options.defaults)
                    object.topologyJson = "";
                if (message.topologyJson != null && $Object.hasOwnProperty.call(message, "topologyJson"))
                    object.topologyJson = message.topologyJson;
                if (message.weights && message.weights.length) {
                    object.weights = $Array(message.weights.length);
                    for (let j = 0; j < message.weights.length; ++j)
                        object.weights[j] = $root.fedfuse.v1.Tensor.toObject(message.weights[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this ModelPayload to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.ModelPayload
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ModelPayload.prototype.toJSON = function() {
                return ModelPayload.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ModelPayload
             * @function getTypeUrl
             * @memberof fedfuse.v1.ModelPayload
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ModelPayload.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.ModelPayload";
            };

            return ModelPayload;
        })();

        v1.Join = (function() {

            /**
             * Properties of a Join.
             * @typedef {Object} fedfuse.v1.Join.$Properties
             * @property {number|null} [protocolVersion] Join protocolVersion
             * @property {string|null} [clientId] Join clientId
             * @property {string|null} [authToken] Join authToken
             * @property {number|null} [numSamples] Join numSamples
             * @property {Array.<number>|null} [labelHistogram] Join labelHistogram
             * @property {string|null} [tier] Join tier
             * @property {number|null} [maxParameters] Join maxParameters
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Join.
             * @memberof fedfuse.v1
             * @interface IJoin
             * @augments fedfuse.v1.Join.$Properties
             * @deprecated Use fedfuse.v1.Join.$Properties instead.
             */

            /**
             * Shape of a Join.
             * @typedef {fedfuse.v1.Join.$Properties} fedfuse.v1.Join.$Shape
             */

            /**
             * Constructs a new Join.
             * @memberof fedfuse.v1
             * @classdesc Represents a Join.
             * @constructor
             * @param {fedfuse.v1.Join.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Join = function (properties) {
                this.labelHistogram = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Join protocolVersion.
             * @member {number} protocolVersion
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.protocolVersion = 0;

            /**
             * Join clientId.
             * @member {string} clientId
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.clientId = "";

            /**
             * Join authToken.
             * @member {string} authToken
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.authToken = "";

            /**
             * Join numSamples.
             * @member {number} numSamples
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.numSamples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Join labelHistogram.
             * @member {Array.<number>} labelHistogram
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.labelHistogram = $util.emptyArray;

            /**
             * Join tier.
             * @member {string} tier
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.tier = "";

            /**
             * Join maxParameters.
             * @member {number} maxParameters
             * @memberof fedfuse.v1.Join
             * @instance
             */
            Join.prototype.maxParameters = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Join instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Join
             * @static
             * @param {fedfuse.v1.Join.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Join} Join instance
             * @type {{
             *   (properties: fedfuse.v1.Join.$Shape): fedfuse.v1.Join & fedfuse.v1.Join.$Shape;
             *   (properties?: fedfuse.v1.Join.$Properties): fedfuse.v1.Join;
             * }}
             */
            Join.create = function(properties) {
                return new Join(properties);
            };

            /**
             * Encodes the specified Join message. Does not implicitly {@link fedfuse.v1.Join.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Join
             * @static
             * @param {fedfuse.v1.Join.$Properties} message Join message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Join.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId") && message.clientId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.clientId);
                if (message.authToken != null && $Object.hasOwnProperty.call(message, "authToken") && message.authToken !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.authToken);
                if (message.numSamples != null && $Object.hasOwnProperty.call(message, "numSamples") && (typeof message.numSamples === "object" ? message.numSamples.low || message.numSamples.high : message.numSamples !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.numSamples);
                if (message.labelHistogram != null && message.labelHistogram.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).uint32s(message.labelHistogram);
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier") && message.tier !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.tier);
                if (message.maxParameters != null && $Object.hasOwnProperty.call(message, "maxParameters") && (typeof message.maxParameters === "object" ? message.maxParameters.low || message.maxParameters.high : message.maxParameters !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.maxParameters);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Join message, length delimited. Does not implicitly {@link fedfuse.v1.Join.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Join
             * @static
             * @param {fedfuse.v1.Join.$Properties} message Join message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Join.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Join message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Join
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Join & fedfuse.v1.Join.$Shape} Join
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Join.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Join();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clientId = value;
                            else
                                delete message.clientId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.authToken = value;
                            else
                                delete message.authToken;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.numSamples = value;
                            else
                                delete message.numSamples;
                            continue;
                        }
                    case 5: {
                            if (wireType === 2) {
                                if (!(message.labelHistogram && message.labelHistogram.length))
                                    message.labelHistogram = [];
                                reader.uint32s(message.labelHistogram);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.labelHistogram && message.labelHistogram.length))
                                message.labelHistogram = [];
                            message.labelHistogram.push(reader.uint32());
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tier = value;
                            else
                                delete message.tier;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.maxParameters = value;
                            else
                                delete message.maxParameters;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Join message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Join
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Join & fedfuse.v1.Join.$Shape} Join
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Join.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Join message.
             * @function verify
             * @memberof fedfuse.v1.Join
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Join.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    if (!$util.isInteger(message.protocolVersion))
                        return "protocolVersion: integer expected";
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    if (!$util.isString(message.clientId))
                        return "clientId: string expected";
                if (message.authToken != null && $Object.hasOwnProperty.call(message, "authToken"))
                    if (!$util.isString(message.authToken))
                        return "authToken: string expected";
                if (message.numSamples != null && $Object.hasOwnProperty.call(message, "numSamples"))
                    if (!$util.isInteger(message.numSamples) && !(message.numSamples && $util.isInteger(message.numSamples.low) && $util.isInteger(message.numSamples.high)))
                        return "numSamples: integer|Long expected";
                if (message.labelHistogram != null && $Object.hasOwnProperty.call(message, "labelHistogram")) {
                    if (!$Array.isArray(message.labelHistogram))
                        return "labelHistogram: array expected";
                    for (let i = 0; i < message.labelHistogram.length; ++i)
                        if (!$util.isInteger(message.labelHistogram[i]))
                            return "labelHistogram: integer[] expected";
                }
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                    if (!$util.isString(message.tier))
                        return "tier: string expected";
                if (message.maxParameters != null && $Object.hasOwnProperty.call(message, "maxParameters"))
                    if (!$util.isInteger(message.maxParameters) && !(message.maxParameters && $util.isInteger(message.maxParameters.low) && $util.isInteger(message.maxParameters.high)))
                        return "maxParameters: integer|Long expected";
                return null;
            };

            /**
             * Creates a Join message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Join
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Join} Join
             */
            Join.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Join)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Join: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Join();
                if (object.protocolVersion != null)
                    if ($Number(object.protocolVersion) !== 0)
                        message.protocolVersion = object.protocolVersion >>> 0;
                if (object.clientId != null)
                    if (typeof object.clientId !== "string" || object.clientId.length)
                        message.clientId = $String(object.clientId);
                if (object.authToken != null)
                    if (typeof object.authToken !== "string" || object.authToken.length)
                        message.authToken = $String(object.authToken);
                if (object.numSamples != null)
                    if (typeof object.numSamples === "object" ? object.numSamples.low || object.numSamples.high : $Number(object.numSamples) !== 0)
                        if ($util.Long)
                            message.numSamples = $util.Long.fromValue(object.numSamples, true);
                        else if (typeof object.numSamples === "string")
                            message.numSamples = $parseInt(object.numSamples, 10);
                        else if (typeof object.numSamples === "number")
                            message.numSamples = object.numSamples;
                        else if (typeof object.numSamples === "object")
                            message.numSamples = new $util.LongBits(object.numSamples.low >>> 0, object.numSamples.high >>> 0).toNumber(true);
                if (object.labelHistogram) {
                    if (!$Array.isArray(object.labelHistogram))
                        throw $TypeError(".fedfuse.v1.Join.labelHistogram: array expected");
                    message.labelHistogram = $Array(object.labelHistogram.length);
                    for (let i = 0; i < object.labelHistogram.length; ++i)
                        message.labelHistogram[i] = object.labelHistogram[i] >>> 0;
                }
                if (object.tier != null)
                    if (typeof object.tier !== "string" || object.tier.length)
                        message.tier = $String(object.tier);
                if (object.maxParameters != null)
                    if (typeof object.maxParameters === "object" ? object.maxParameters.low || object.maxParameters.high : $Number(object.maxParameters) !== 0)
                        if ($util.Long)
                            message.maxParameters = $util.Long.fromValue(object.maxParameters, true);
                        else if (typeof object.maxParameters === "string")
                            message.maxParameters = $parseInt(object.maxParameters, 10);
                        else if (typeof object.maxParameters === "number")
                            message.maxParameters = object.maxParameters;
                        else if (typeof object.maxParameters === "object")
                            message.maxParameters = new $util.LongBits(object.maxParameters.low >>> 0, object.maxParameters.high >>> 0).toNumber(true);
                return message;
            };

            /**
             * Creates a plain object from a Join message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Join
             * @static
             * @param {fedfuse.v1.Join} message Join
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Join.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.labelHistogram = [];
                if (options.defaults) {
                    object.protocolVersion = 0;
                    object.clientId = "";
                    object.authToken = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.numSamples = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.numSamples = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.tier = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.maxParameters = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.maxParameters = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    object.protocolVersion = message.protocolVersion;
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    object.clientId = message.clientId;
                if (message.authToken != null && $Object.hasOwnProperty.call(message, "authToken"))
                    object.authToken = message.authToken;
                if (message.numSamples != null && $Object.hasOwnProperty.call(message, "numSamples"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.numSamples = typeof message.numSamples === "number" ? $BigInt(message.numSamples) : $util.Long.fromBits(message.numSamples.low >>> 0, message.numSamples.high >>> 0, true).toBigInt();
                    else if (typeof message.numSamples === "number")
                        object.numSamples = options.longs === $String ? $String(message.numSamples) : message.numSamples;
                    else
                        object.numSamples = options.longs === $String ? $util.Long.prototype.toString.call(message.numSamples) : options.longs === $Number ? new $util.LongBits(message.numSamples.low >>> 0, message.numSamples.high >>> 0).toNumber(true) : message.numSamples;
                if (message.labelHistogram && message.labelHistogram.length) {
                    object.labelHistogram = $Array(message.labelHistogram.length);
                    for (let j = 0; j < message.labelHistogram.length; ++j)
                        object.labelHistogram[j] = message.labelHistogram[j];
                }
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                    object.tier = message.tier;
                if (message.maxParameters != null && $Object.hasOwnProperty.call(message, "maxParameters"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.maxParameters = typeof message.maxParameters === "number" ? $BigInt(message.maxParameters) : $util.Long.fromBits(message.maxParameters.low >>> 0, message.maxParameters.high >>> 0, true).toBigInt();
                    else if (typeof message.maxParameters === "number")
                        object.maxParameters = options.longs === $String ? $String(message.maxParameters) : message.maxParameters;
                    else
                        object.maxParameters = options.longs === $String ? $util.Long.prototype.toString.call(message.maxParameters) : options.longs === $Number ? new $util.LongBits(message.maxParameters.low >>> 0, message.maxParameters.high >>> 0).toNumber(true) : message.maxParameters;
                return object;
            };

            /**
             * Converts this Join to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Join
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Join.prototype.toJSON = function() {
                return Join.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Join
             * @function getTypeUrl
             * @memberof fedfuse.v1.Join
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Join.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Join";
            };

            return Join;
        })();

        v1.Welcome = (function() {

            /**
             * Properties of a Welcome.
             * @typedef {Object} fedfuse.v1.Welcome.$Properties
             * @property {number|null} [protocolVersion] Welcome protocolVersion
             * @property {string|null} [clientId] Welcome clientId
             * @property {number|null} [currentRound] Welcome currentRound
             * @property {number|null} [totalRounds] Welcome totalRounds
             * @property {string|null} [tier] Welcome tier
             * @property {number|null} [tierParameters] Welcome tierParameters
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Welcome.
             * @memberof fedfuse.v1
             * @interface IWelcome
             * @augments fedfuse.v1.Welcome.$Properties
             * @deprecated Use fedfuse.v1.Welcome.$Properties instead.
             */

            /**
             * Shape of a Welcome.
             * @typedef {fedfuse.v1.Welcome.$Properties} fedfuse.v1.Welcome.$Shape
             */

            /**
             * Constructs a new Welcome.
             * @memberof fedfuse.v1
             * @classdesc Represents a Welcome.
             * @constructor
             * @param {fedfuse.v1.Welcome.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Welcome = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Welcome protocolVersion.
             * @member {number} protocolVersion
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.protocolVersion = 0;

            /**
             * Welcome clientId.
             * @member {string} clientId
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.clientId = "";

            /**
             * Welcome currentRound.
             * @member {number} currentRound
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.currentRound = 0;

            /**
             * Welcome totalRounds.
             * @member {number} totalRounds
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.totalRounds = 0;

            /**
             * Welcome tier.
             * @member {string} tier
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.tier = "";

            /**
             * Welcome tierParameters.
             * @member {number} tierParameters
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.tierParameters = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.Welcome.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Welcome} Welcome instance
             * @type {{
             *   (properties: fedfuse.v1.Welcome.$Shape): fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape;
             *   (properties?: fedfuse.v1.Welcome.$Properties): fedfuse.v1.Welcome;
             * }}
             */
            Welcome.create = function(properties) {
                return new Welcome(properties);
            };

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.Welcome.$Properties} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId") && message.clientId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.clientId);
                if (message.currentRound != null && $Object.hasOwnProperty.call(message, "currentRound") && message.currentRound !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.currentRound);
                if (message.totalRounds != null && $Object.hasOwnProperty.call(message, "totalRounds") && message.totalRounds !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.totalRounds);
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier") && message.tier !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.tier);
                if (message.tierParameters != null && $Object.hasOwnProperty.call(message, "tierParameters") && (typeof message.tierParameters === "object" ? message.tierParameters.low || message.tierParameters.high : message.tierParameters !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.tierParameters);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Welcome message, length delimited. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.Welcome.$Properties} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Welcome();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clientId = value;
                            else
                                delete message.clientId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.currentRound = value;
                            else
                                delete message.currentRound;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.totalRounds = value;
                            else
                                delete message.totalRounds;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tier = value;
                            else
                                delete message.tier;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.tierParameters = value;
                            else
                                delete message.tierParameters;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Welcome message.
             * @function verify
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Welcome.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    if (!$util.isInteger(message.protocolVersion))
                        return "protocolVersion: integer expected";
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    if (!$util.isString(message.clientId))
                        return "clientId: string expected";
                if (message.currentRound != null && $Object.hasOwnProperty.call(message, "currentRound"))
                    if (!$util.isInteger(message.currentRound))
                        return "currentRound: integer expected";
                if (message.totalRounds != null && $Object.hasOwnProperty.call(message, "totalRounds"))
                    if (!$util.isInteger(message.totalRounds))
                        return "totalRounds: integer expected";
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                    if (!$util.isString(message.tier))
                        return "tier: string expected";
                if (message.tierParameters != null && $Object.hasOwnProperty.call(message, "tierParameters"))
                    if (!$util.isInteger(message.tierParameters) && !(message.tierParameters && $util.isInteger(message.tierParameters.low) && $util.isInteger(message.tierParameters.high)))
                        return "tierParameters: integer|Long expected";
                return null;
            };

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Welcome} Welcome
             */
            Welcome.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Welcome)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Welcome: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Welcome();
                if (object.protocolVersion != null)
                    if ($Number(object.protocolVersion) !== 0)
                        message.protocolVersion = object.protocolVersion >>> 0;
                if (object.clientId != null)
                    if (typeof object.clientId !== "string" || object.clientId.length)
                        message.clientId = $String(object.clientId);
                if (object.currentRound != null)
                    if ($Number(object.currentRound) !== 0)
                        message.currentRound = object.currentRound >>> 0;
                if (object.totalRounds != null)
                    if ($Number(object.totalRounds) !== 0)
                        message.totalRounds = object.totalRounds >>> 0;
                if (object.tier != null)
                    if (typeof object.tier !== "string" || object.tier.length)
                        message.tier = $String(object.tier);
                if (object.tierParameters != null)
                    if (typeof object.tierParameters === "object" ? object.tierParameters.low || object.tierParameters.high : $Number(object.tierParameters) !== 0)
                        if ($util.Long)
                            message.tierParameters = $util.Long.fromValue(object.tierParameters, true);
                        else if (typeof object.tierParameters === "string")
                            message.tierParameters = $parseInt(object.tierParameters, 10);
                        else if (typeof object.tierParameters === "number")
                            message.tierParameters = object.tierParameters;
                        else if (typeof object.tierParameters === "object")
                            message.tierParameters = new $util.LongBits(object.tierParameters.low >>> 0, object.tierParameters.high >>> 0).toNumber(true);
                return message;
            };

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.Welcome} message Welcome
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Welcome.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocolVersion = 0;
                    object.clientId = "";
                    object.currentRound = 0;
                    object.totalRounds = 0;
                    object.tier = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.tierParameters = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.tierParameters = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    object.protocolVersion = message.protocolVersion;
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    object.clientId = message.clientId;
                if (message.currentRound != null && $Object.hasOwnProperty.call(message, "currentRound"))
                    object.currentRound = message.currentRound;
                if (message.totalRounds != null && $Object.hasOwnProperty.call(message, "totalRounds"))
                    object.totalRounds = message.totalRounds;
                if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                    object.tier = message.tier;
                if (message.tierParameters != null && $Object.hasOwnProperty.call(message, "tierParameters"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.tierParameters = typeof message.tierParameters === "number" ? $BigInt(message.tierParameters) : $util.Long.fromBits(message.tierParameters.low >>> 0, message.tierParameters.high >>> 0, true).toBigInt();
                    else if (typeof message.tierParameters === "number")
                        object.tierParameters = options.longs === $String ? $String(message.tierParameters) : message.tierParameters;
                    else
                        object.tierParameters = options.longs === $String ? $util.Long.prototype.toString.call(message.tierParameters) : options.longs === $Number ? new $util.LongBits(message.tierParameters.low >>> 0, message.tierParameters.high >>> 0).toNumber(true) : message.tierParameters;
                return object;
            };

            /**
             * Converts this Welcome to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Welcome
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Welcome.prototype.toJSON = function() {
                return Welcome.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Welcome
             * @function getTypeUrl
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Welcome.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Welcome";
            };

            return Welcome;
        })();

        v1.TrainingConfig = (function() {

            /**
             * Properties of a TrainingConfig.
             * @typedef {Object} fedfuse.v1.TrainingConfig.$Properties
             * @property {number|null} [localEpochs] TrainingConfig localEpochs
             * @property {number|null} [batchSize] TrainingConfig batchSize
             * @property {number|null} [learningRate] TrainingConfig learningRate
             * @property {string|null} [optimizer] TrainingConfig optimizer
             * @property {number|null} [proximalMu] TrainingConfig proximalMu
             * @property {boolean|null} [sendActivations] TrainingConfig sendActivations
             * @property {string|null} [importanceMethod] TrainingConfig importanceMethod
             * @property {number|null} [seed] TrainingConfig seed
             * @property {boolean|null} [halfPrecision] TrainingConfig halfPrecision
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TrainingConfig.
             * @memberof fedfuse.v1
             * @interface ITrainingConfig
             * @augments fedfuse.v1.TrainingConfig.$Properties
             * @deprecated Use fedfuse.v1.TrainingConfig.$Properties instead.
             */

            /**
             * Shape of a TrainingConfig.
             * @typedef {fedfuse.v1.TrainingConfig.$Properties} fedfuse.v1.TrainingConfig.$Shape
             */

            /**
             * Constructs a new TrainingConfig.
             * @memberof fedfuse.v1
             * @classdesc Represents a TrainingConfig.
             * @constructor
             * @param {fedfuse.v1.TrainingConfig.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TrainingConfig = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * TrainingConfig localEpochs.
             * @member {number} localEpochs
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.localEpochs = 0;

            /**
             * TrainingConfig batchSize.
             * @member {number} batchSize
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.batchSize = 0;

            /**
             * TrainingConfig learningRate.
             * @member {number} learningRate
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.learningRate = 0;

            /**
             * TrainingConfig optimizer.
             * @member {string} optimizer
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.optimizer = "";

            /**
             * TrainingConfig proximalMu.
             * @member {number} proximalMu
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.proximalMu = 0;

            /**
             * TrainingConfig sendActivations.
             * @member {boolean} sendActivations
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.sendActivations = false;

            /**
             * TrainingConfig importanceMethod.
             * @member {string} importanceMethod
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.importanceMethod = "";

            /**
             * TrainingConfig seed.
             * @member {number} seed
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.seed = 0;

            /**
             * TrainingConfig halfPrecision.
             * @member {boolean} halfPrecision
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.halfPrecision = false;

            /**
             * Creates a new TrainingConfig instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.TrainingConfig.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.TrainingConfig} TrainingConfig instance
             * @type {{
             *   (properties: fedfuse.v1.TrainingConfig.$Shape): fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape;
             *   (properties?: fedfuse.v1.TrainingConfig.$Properties): fedfuse.v1.TrainingConfig;
             * }}
             */
            TrainingConfig.create = function(properties) {
                return new TrainingConfig(properties);
            };

            /**
             * Encodes the specified TrainingConfig message. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.TrainingConfig.$Properties} message TrainingConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainingConfig.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.localEpochs != null && $Object.hasOwnProperty.call(message, "localEpochs") && message.localEpochs !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.localEpochs);
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize") && message.batchSize !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.batchSize);
                if (message.learningRate != null && $Object.hasOwnProperty.call(message, "learningRate") && !$Object.is(message.learningRate, 0))
                    writer.uint32(/* id 3, wireType 5 =*/29).float(message.learningRate);
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer") && message.optimizer !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.optimizer);
                if (message.proximalMu != null && $Object.hasOwnProperty.call(message, "proximalMu") && !$Object.is(message.proximalMu, 0))
                    writer.uint32(/* id 5, wireType 5 =*/45).float(message.proximalMu);
                if (message.sendActivations != null && $Object.hasOwnProperty.call(message, "sendActivations") && message.sendActivations !== false)
                    writer.uint32(/* id 6, wireType 0 =*/48).bool(message.sendActivations);
                if (message.importanceMethod != null && $Object.hasOwnProperty.call(message, "importanceMethod") && message.importanceMethod !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.importanceMethod);
                if (message.seed != null && $Object.hasOwnProperty.call(message, "seed") && message.seed !== 0)
                    writer.uint32(/* id 8, wireType 0 =*/64).uint32(message.seed);
                if (message.halfPrecision != null && $Object.hasOwnProperty.call(message, "halfPrecision") && message.halfPrecision !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.halfPrecision);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified TrainingConfig message, length delimited. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.TrainingConfig.$Properties} message TrainingConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainingConfig.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape} TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainingConfig.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.TrainingConfig();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.localEpochs = value;
                            else
                                delete message.localEpochs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.batchSize = value;
                            else
                                delete message.batchSize;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 5)
                                break;
                            if (!$Object.is(value = reader.float(), 0))
                                message.learningRate = value;
                            else
                                delete message.learningRate;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.optimizer = value;
                            else
                                delete message.optimizer;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 5)
                                break;
                            if (!$Object.is(value = reader.float(), 0))
                                message.proximalMu = value;
                            else
                                delete message.proximalMu;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.sendActivations = value;
                            else
                                delete message.sendActivations;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.importanceMethod = value;
                            else
                                delete message.importanceMethod;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.seed = value;
                            else
                                delete message.seed;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.halfPrecision = value;
                            else
                                delete message.halfPrecision;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape} TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainingConfig.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a TrainingConfig message.
             * @function verify
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            TrainingConfig.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.localEpochs != null && $Object.hasOwnProperty.call(message, "localEpochs"))
                    if (!$util.isInteger(message.localEpochs))
                        return "localEpochs: integer expected";
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    if (!$util.isInteger(message.batchSize))
                        return "batchSize: integer expected";
                if (message.learningRate != null && $Object.hasOwnProperty.call(message, "learningRate"))
                    if (typeof message.learningRate !== "number")
                        return "learningRate: number expected";
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer"))
                    if (!$util.isString(message.optimizer))
                        return "optimizer: string expected";
                if (message.proximalMu != null && $Object.hasOwnProperty.call(message, "proximalMu"))
                    if (typeof message.proximalMu !== "number")
                        return "proximalMu: number expected";
                if (message.sendActivations != null && $Object.hasOwnProperty.call(message, "sendActivations"))
                    if (typeof message.sendActivations !== "boolean")
                        return "sendActivations: boolean expected";
                if (message.importanceMethod != null && $Object.hasOwnProperty.call(message, "importanceMethod"))
                    if (!$util.isString(message.importanceMethod))
                        return "importanceMethod: string expected";
                if (message.seed != null && $Object.hasOwnProperty.call(message, "seed"))
                    if (!$util.isInteger(message.seed))
                        return "seed: integer expected";
                if (message.halfPrecision != null && $Object.hasOwnProperty.call(message, "halfPrecision"))
                    if (typeof message.halfPrecision !== "boolean")
                        return "halfPrecision: boolean expected";
                return null;
            };

            /**
             * Creates a TrainingConfig message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.TrainingConfig} TrainingConfig
             */
            TrainingConfig.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.TrainingConfig)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.TrainingConfig: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.TrainingConfig();
                if (object.localEpochs != null)
                    if ($Number(object.localEpochs) !== 0)
                        message.localEpochs = object.localEpochs >>> 0;
                if (object.batchSize != null)
                    if ($Number(object.batchSize) !== 0)
                        message.batchSize = object.batchSize >>> 0;
                if (object.learningRate != null)
                    if (!$Object.is($Number(object.learningRate), 0))
                        message.learningRate = $Number(object.learningRate);
                if (object.optimizer != null)
                    if (typeof object.optimizer !== "string" || object.optimizer.length)
                        message.optimizer = $String(object.optimizer);
                if (object.proximalMu != null)
                    if (!$Object.is($Number(object.proximalMu), 0))
                        message.proximalMu = $Number(object.proximalMu);
                if (object.sendActivations != null)
                    if (object.sendActivations)
                        message.sendActivations = $Boolean(object.sendActivations);
                if (object.importanceMethod != null)
                    if (typeof object.importanceMethod !== "string" || object.importanceMethod.length)
                        message.importanceMethod = $String(object.importanceMethod);
                if (object.seed != null)
                    if ($Number(object.seed) !== 0)
                        message.seed = object.seed >>> 0;
                if (object.halfPrecision != null)
                    if (object.halfPrecision)
                        message.halfPrecision = $Boolean(object.halfPrecision);
                return message;
            };

            /**
             * Creates a plain object from a TrainingConfig message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.TrainingConfig} message TrainingConfig
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TrainingConfig.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.localEpochs = 0;
                    object.batchSize = 0;
                    object.learningRate = 0;
                    object.optimizer = "";
                    object.proximalMu = 0;
                    object.sendActivations = false;
                    object.importanceMethod = "";
                    object.seed = 0;
                    object.halfPrecision = false;
                }
                if (message.localEpochs != null && $Object.hasOwnProperty.call(message, "localEpochs"))
                    object.localEpochs = message.localEpochs;
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    object.batchSize = message.batchSize;
                if (message.learningRate != null && $Object.hasOwnProperty.call(message, "learningRate"))
                    object.learningRate = options.json && !$isFinite(message.learningRate) ? $String(message.learningRate) : message.learningRate;
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer"))
                    object.optimizer = message.optimizer;
                if (message.proximalMu != null && $Object.hasOwnProperty.call(message, "proximalMu"))
                    object.proximalMu = options.json && !$isFinite(message.proximalMu) ? $String(message.proximalMu) : message.proximalMu;
                if (message.sendActivations != null && $Object.hasOwnProperty.call(message, "sendActivations"))
                    object.sendActivations = message.sendActivations;
                if (message.importanceMethod != null && $Object.hasOwnProperty.call(message, "importanceMethod"))
                    object.importanceMethod = message.importanceMethod;
                if (message.seed != null && $Object.hasOwnProperty.call(message, "seed"))
                    object.seed = message.seed;
                if (message.halfPrecision != null && $Object.hasOwnProperty.call(message, "halfPrecision"))
                    object.halfPrecision = message.halfPrecision;
                return object;
            };

            /**
             * Converts this TrainingConfig to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TrainingConfig.prototype.toJSON = function() {
                return TrainingConfig.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for TrainingConfig
             * @function getTypeUrl
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            TrainingConfig.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.TrainingConfig";
            };

            return TrainingConfig;
        })();

        v1.TrainTask = (function() {

            /**
             * Properties of a TrainTask.
             * @typedef {Object} fedfuse.v1.TrainTask.$Properties
             * @property {number|null} [round] TrainTask round
             * @property {fedfuse.v1.ModelPayload.$Properties|null} [globalModel] TrainTask globalModel
             * @property {fedfuse.v1.TrainingConfig.$Properties|null} [config] TrainTask config
             * @property {fedfuse.v1.Tensor.$Properties|null} [probeInputs] TrainTask probeInputs
             * @property {fedfuse.v1.Tensor.$Properties|null} [probeLabels] TrainTask probeLabels
             * @property {number|null} [deadlineUnixMs] TrainTask deadlineUnixMs
             * @property {string|null} [probeSha256] TrainTask probeSha256
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TrainTask.
             * @memberof fedfuse.v1
             * @interface ITrainTask
             * @augments fedfuse.v1.TrainTask.$Properties
             * @deprecated Use fedfuse.v1.TrainTask.$Properties instead.
             */

            /**
             * Shape of a TrainTask.
             * @typedef {fedfuse.v1.TrainTask.$Properties} fedfuse.v1.TrainTask.$Shape
             */

            /**
             * Constructs a new TrainTask.
             * @memberof fedfuse.v1
             * @classdesc Represents a TrainTask.
             * @constructor
             * @param {fedfuse.v1.TrainTask.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TrainTask = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * TrainTask round.
             * @member {number} round
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.round = 0;

            /**
             * TrainTask globalModel.
             * @member {fedfuse.v1.ModelPayload.$Properties|null|undefined} globalModel
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.globalModel = null;

            /**
             * TrainTask config.
             * @member {fedfuse.v1.TrainingConfig.$Properties|null|undefined} config
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.config = null;

            /**
             * TrainTask probeInputs.
             * @member {fedfuse.v1.Tensor.$Properties|null|undefined} probeInputs
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.probeInputs = null;

            /**
             * TrainTask probeLabels.
             * @member {fedfuse.v1.Tensor.$Properties|null|undefined} probeLabels
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.probeLabels = null;

            /**
             * TrainTask deadlineUnixMs.
             * @member {number} deadlineUnixMs
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.deadlineUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * TrainTask probeSha256.
             * @member {string} probeSha256
             * @memberof fedfuse.v1.TrainTask
             * @instance
             */
            TrainTask.prototype.probeSha256 = "";

            /**
             * Creates a new TrainTask instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {fedfuse.v1.TrainTask.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.TrainTask} TrainTask instance
             * @type {{
             *   (properties: fedfuse.v1.TrainTask.$Shape): fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape;
             *   (properties?: fedfuse.v1.TrainTask.$Properties): fedfuse.v1.TrainTask;
             * }}
             */
            TrainTask.create = function(properties) {
                return new TrainTask(properties);
            };

            /**
             * Encodes the specified TrainTask message. Does not implicitly {@link fedfuse.v1.TrainTask.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {fedfuse.v1.TrainTask.$Properties} message TrainTask message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainTask.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel"))
                    $root.fedfuse.v1.ModelPayload.encode(message.globalModel, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    $root.fedfuse.v1.TrainingConfig.encode(message.config, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.probeInputs != null && $Object.hasOwnProperty.call(message, "probeInputs"))
                    $root.fedfuse.v1.Tensor.encode(message.probeInputs, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.probeLabels != null && $Object.hasOwnProperty.call(message, "probeLabels"))
                    $root.fedfuse.v1.Tensor.encode(message.probeLabels, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.deadlineUnixMs != null && $Object.hasOwnProperty.call(message, "deadlineUnixMs") && (typeof message.deadlineUnixMs === "object" ? message.deadlineUnixMs.low || message.deadlineUnixMs.high : message.deadlineUnixMs !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.deadlineUnixMs);
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256") && message.probeSha256 !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.probeSha256);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified TrainTask message, length delimited. Does not implicitly {@link fedfuse.v1.TrainTask.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {fedfuse.v1.TrainTask.$Properties} message TrainTask message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainTask.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a TrainTask message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape} TrainTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainTask.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.TrainTask();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.globalModel = $root.fedfuse.v1.ModelPayload.decode(reader, reader.size(), $undefined, _depth + 1, message.globalModel);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.config = $root.fedfuse.v1.TrainingConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.config);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.probeInputs = $root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1, message.probeInputs);
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.probeLabels = $root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1, message.probeLabels);
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.deadlineUnixMs = value;
                            else
                                delete message.deadlineUnixMs;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.probeSha256 = value;
                            else
                                delete message.probeSha256;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a TrainTask message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape} TrainTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainTask.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a TrainTask message.
             * @function verify
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            TrainTask.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel")) {
                    let error = $root.fedfuse.v1.ModelPayload.verify(message.globalModel, _depth + 1);
                    if (error)
                        return "globalModel." + error;
                }
                if (message.config != null && $Object.hasOwnProperty.call(message, "config")) {
                    let error = $root.fedfuse.v1.TrainingConfig.verify(message.config, _depth + 1);
                    if (error)
                        return "config." + error;
                }
                if (message.probeInputs != null && $Object.hasOwnProperty.call(message, "probeInputs")) {
                    let error = $root.fedfuse.v1.Tensor.verify(message.probeInputs, _depth + 1);
                    if (error)
                        return "probeInputs." + error;
                }
                if (message.probeLabels != null && $Object.hasOwnProperty.call(message, "probeLabels")) {
                    let error = $root.fedfuse.v1.Tensor.verify(message.probeLabels, _depth + 1);
                    if (error)
                        return "probeLabels." + error;
                }
                if (message.deadlineUnixMs != null && $Object.hasOwnProperty.call(message, "deadlineUnixMs"))
                    if (!$util.isInteger(message.deadlineUnixMs) && !(message.deadlineUnixMs && $util.isInteger(message.deadlineUnixMs.low) && $util.isInteger(message.deadlineUnixMs.high)))
                        return "deadlineUnixMs: integer|Long expected";
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256"))
                    if (!$util.isString(message.probeSha256))
                        return "probeSha256: string expected";
                return null;
            };

            /**
             * Creates a TrainTask message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.TrainTask} TrainTask
             */
            TrainTask.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.TrainTask)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.TrainTask: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.TrainTask();
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                if (object.globalModel != null) {
                    if (!$util.isObject(object.globalModel))
                        throw $TypeError(".fedfuse.v1.TrainTask.globalModel: object expected");
                    message.globalModel = $root.fedfuse.v1.ModelPayload.fromObject(object.globalModel, _depth + 1);
                }
                if (object.config != null) {
                    if (!$util.isObject(object.config))
                        throw $TypeError(".fedfuse.v1.TrainTask.config: object expected");
                    message.config = $root.fedfuse.v1.TrainingConfig.fromObject(object.config, _depth + 1);
                }
                if (object.probeInputs != null) {
                    if (!$util.isObject(object.probeInputs))
                        throw $TypeError(".fedfuse.v1.TrainTask.probeInputs: object expected");
                    message.probeInputs = $root.fedfuse.v1.Tensor.fromObject(object.probeInputs, _depth + 1);
                }
                if (object.probeLabels != null) {
                    if (!$util.isObject(object.probeLabels))
                        throw $TypeError(".fedfuse.v1.TrainTask.probeLabels: object expected");
                    message.probeLabels = $root.fedfuse.v1.Tensor.fromObject(object.probeLabels, _depth + 1);
                }
                if (object.deadlineUnixMs != null)
                    if (typeof object.deadlineUnixMs === "object" ? object.deadlineUnixMs.low || object.deadlineUnixMs.high : $Number(object.deadlineUnixMs) !== 0)
                        if ($util.Long)
                            message.deadlineUnixMs = $util.Long.fromValue(object.deadlineUnixMs, true);
                        else if (typeof object.deadlineUnixMs === "string")
                            message.deadlineUnixMs = $parseInt(object.deadlineUnixMs, 10);
                        else if (typeof object.deadlineUnixMs === "number")
                            message.deadlineUnixMs = object.deadlineUnixMs;
                        else if (typeof object.deadlineUnixMs === "object")
                            message.deadlineUnixMs = new $util.LongBits(object.deadlineUnixMs.low >>> 0, object.deadlineUnixMs.high >>> 0).toNumber(true);
                if (object.probeSha256 != null)
                    if (typeof object.probeSha256 !== "string" || object.probeSha256.length)
                        message.probeSha256 = $String(object.probeSha256);
                return message;
            };

            /**
             * Creates a plain object from a TrainTask message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {fedfuse.v1.TrainTask} message TrainTask
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TrainTask.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.round = 0;
                    object.globalModel = null;
                    object.config = null;
                    object.probeInputs = null;
                    object.probeLabels = null;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.deadlineUnixMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.deadlineUnixMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.probeSha256 = "";
                }
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel"))
                    object.globalModel = $root.fedfuse.v1.ModelPayload.toObject(message.globalModel, options, _depth + 1);
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    object.config = $root.fedfuse.v1.TrainingConfig.toObject(message.config, options, _depth + 1);
                if (message.probeInputs != null && $Object.hasOwnProperty.call(message, "probeInputs"))
                    object.probeInputs = $root.fedfuse.v1.Tensor.toObject(message.probeInputs, options, _depth + 1);
                if (message.probeLabels != null && $Object.hasOwnProperty.call(message, "probeLabels"))
                    object.probeLabels = $root.fedfuse.v1.Tensor.toObject(message.probeLabels, options, _depth + 1);
                if (message.deadlineUnixMs != null && $Object.hasOwnProperty.call(message, "deadlineUnixMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.deadlineUnixMs = typeof message.deadlineUnixMs === "number" ? $BigInt(message.deadlineUnixMs) : $util.Long.fromBits(message.deadlineUnixMs.low >>> 0, message.deadlineUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof message.deadlineUnixMs === "number")
                        object.deadlineUnixMs = options.longs === $String ? $String(message.deadlineUnixMs) : message.deadlineUnixMs;
                    else
                        object.deadlineUnixMs = options.longs === $String ? $util.Long.prototype.toString.call(message.deadlineUnixMs) : options.longs === $Number ? new $util.LongBits(message.deadlineUnixMs.low >>> 0, message.deadlineUnixMs.high >>> 0).toNumber(true) : message.deadlineUnixMs;
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256"))
                    object.probeSha256 = message.probeSha256;
                return object;
            };

            /**
             * Converts this TrainTask to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.TrainTask
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TrainTask.prototype.toJSON = function() {
                return TrainTask.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for TrainTask
             * @function getTypeUrl
             * @memberof fedfuse.v1.TrainTask
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            TrainTask.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.TrainTask";
            };

            return TrainTask;
        })();

        v1.ProbeRequest = (function() {

            /**
             * Properties of a ProbeRequest.
             * @typedef {Object} fedfuse.v1.ProbeRequest.$Properties
             * @property {number|null} [round] ProbeRequest round
             * @property {string|null} [probeSha256] ProbeRequest probeSha256
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ProbeRequest.
             * @memberof fedfuse.v1
             * @interface IProbeRequest
             * @augments fedfuse.v1.ProbeRequest.$Properties
             * @deprecated Use fedfuse.v1.ProbeRequest.$Properties instead.
             */

            /**
             * Shape of a ProbeRequest.
             * @typedef {fedfuse.v1.ProbeRequest.$Properties} fedfuse.v1.ProbeRequest.$Shape
             */

            /**
             * Constructs a new ProbeRequest.
             * @memberof fedfuse.v1
             * @classdesc Represents a ProbeRequest.
             * @constructor
             * @param {fedfuse.v1.ProbeRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ProbeRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ProbeRequest round.
             * @member {number} round
             * @memberof fedfuse.v1.ProbeRequest
             * @instance
             */
            ProbeRequest.prototype.round = 0;

            /**
             * ProbeRequest probeSha256.
             * @member {string} probeSha256
             * @memberof fedfuse.v1.ProbeRequest
             * @instance
             */
            ProbeRequest.prototype.probeSha256 = "";

            /**
             * Creates a new ProbeRequest instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {fedfuse.v1.ProbeRequest.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.ProbeRequest} ProbeRequest instance
             * @type {{
             *   (properties: fedfuse.v1.ProbeRequest.$Shape): fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape;
             *   (properties?: fedfuse.v1.ProbeRequest.$Properties): fedfuse.v1.ProbeRequest;
             * }}
             */
            ProbeRequest.create = function(properties) {
                return new ProbeRequest(properties);
            };

            /**
             * Encodes the specified ProbeRequest message. Does not implicitly {@link fedfuse.v1.ProbeRequest.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {fedfuse.v1.ProbeRequest.$Properties} message ProbeRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ProbeRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256") && message.probeSha256 !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.probeSha256);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ProbeRequest message, length delimited. Does not implicitly {@link fedfuse.v1.ProbeRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {fedfuse.v1.ProbeRequest.$Properties} message ProbeRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ProbeRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ProbeRequest message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape} ProbeRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ProbeRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.ProbeRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.probeSha256 = value;
                            else
                                delete message.probeSha256;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ProbeRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape} ProbeRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ProbeRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ProbeRequest message.
             * @function verify
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ProbeRequest.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256"))
                    if (!$util.isString(message.probeSha256))
                        return "probeSha256: string expected";
                return null;
            };

            /**
             * Creates a ProbeRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.ProbeRequest} ProbeRequest
             */
            ProbeRequest.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.ProbeRequest)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.ProbeRequest: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.ProbeRequest();
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                if (object.probeSha256 != null)
                    if (typeof object.probeSha256 !== "string" || object.probeSha256.length)
                        message.probeSha256 = $String(object.probeSha256);
                return message;
            };

            /**
             * Creates a plain object from a ProbeRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {fedfuse.v1.ProbeRequest} message ProbeRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ProbeRequest.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.round = 0;
                    object.probeSha256 = "";
                }
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                if (message.probeSha256 != null && $Object.hasOwnProperty.call(message, "probeSha256"))
                    object.probeSha256 = message.probeSha256;
                return object;
            };

            /**
             * Converts this ProbeRequest to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.ProbeRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ProbeRequest.prototype.toJSON = function() {
                return ProbeRequest.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ProbeRequest
             * @function getTypeUrl
             * @memberof fedfuse.v1.ProbeRequest
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ProbeRequest.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.ProbeRequest";
            };

            return ProbeRequest;
        })();

        v1.ClientUpdate = (function() {

            /**
             * Properties of a ClientUpdate.
             * @typedef {Object} fedfuse.v1.ClientUpdate.$Properties
             * @property {number|null} [round] ClientUpdate round
             * @property {string|null} [clientId] ClientUpdate clientId
             * @property {Array.<fedfuse.v1.Tensor.$Properties>|null} [weights] ClientUpdate weights
             * @property {number|null} [numExamples] ClientUpdate numExamples
             * @property {Array.<fedfuse.v1.Tensor.$Properties>|null} [activations] ClientUpdate activations
             * @property {Array.<fedfuse.v1.Tensor.$Properties>|null} [importance] ClientUpdate importance
             * @property {Object.<string,number>|null} [metrics] ClientUpdate metrics
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClientUpdate.
             * @memberof fedfuse.v1
             * @interface IClientUpdate
             * @augments fedfuse.v1.ClientUpdate.$Properties
             * @deprecated Use fedfuse.v1.ClientUpdate.$Properties instead.
             */

            /**
             * Shape of a ClientUpdate.
             * @typedef {fedfuse.v1.ClientUpdate.$Properties} fedfuse.v1.ClientUpdate.$Shape
             */

            /**
             * Constructs a new ClientUpdate.
             * @memberof fedfuse.v1
             * @classdesc Represents a ClientUpdate.
             * @constructor
             * @param {fedfuse.v1.ClientUpdate.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClientUpdate = function (properties) {
                this.weights = [];
                this.activations = [];
                this.importance = [];
                this.metrics = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ClientUpdate round.
             * @member {number} round
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.round = 0;

            /**
             * ClientUpdate clientId.
             * @member {string} clientId
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.clientId = "";

            /**
             * ClientUpdate weights.
             * @member {Array.<fedfuse.v1.Tensor.$Properties>} weights
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.weights = $util.emptyArray;

            /**
             * ClientUpdate numExamples.
             * @member {number} numExamples
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.numExamples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ClientUpdate activations.
             * @member {Array.<fedfuse.v1.Tensor.$Properties>} activations
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.activations = $util.emptyArray;

            /**
             * ClientUpdate importance.
             * @member {Array.<fedfuse.v1.Tensor.$Properties>} importance
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.importance = $util.emptyArray;

            /**
             * ClientUpdate metrics.
             * @member {Object.<string,number>} metrics
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.metrics = $util.emptyObject;

            /**
             * Creates a new ClientUpdate instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.ClientUpdate.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.ClientUpdate} ClientUpdate instance
             * @type {{
             *   (properties: fedfuse.v1.ClientUpdate.$Shape): fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape;
             *   (properties?: fedfuse.v1.ClientUpdate.$Properties): fedfuse.v1.ClientUpdate;
             * }}
             */
            ClientUpdate.create = function(properties) {
                return new ClientUpdate(properties);
            };

            /**
             * Encodes the specified ClientUpdate message. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.ClientUpdate.$Properties} message ClientUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientUpdate.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId") && message.clientId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.clientId);
                if (message.weights != null && message.weights.length)
                    for (let i = 0; i < message.weights.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.weights[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.numExamples != null && $Object.hasOwnProperty.call(message, "numExamples") && (typeof message.numExamples === "object" ? message.numExamples.low || message.numExamples.high : message.numExamples !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.numExamples);
                if (message.activations != null && message.activations.length)
                    for (let i = 0; i < message.activations.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.activations[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.importance != null && message.importance.length)
                    for (let i = 0; i < message.importance.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.importance[i], writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.metrics != null && $Object.hasOwnProperty.call(message, "metrics"))
                    for (let keys = $Object.keys(message.metrics), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 1 =*/17).double(message.metrics[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ClientUpdate message, length delimited. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.ClientUpdate.$Properties} message ClientUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientUpdate.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape} ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientUpdate.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.ClientUpdate();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clientId = value;
                            else
                                delete message.clientId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.weights && message.weights.length))
                                message.weights = [];
                            message.weights.push($root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.numExamples = value;
                            else
                                delete message.numExamples;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (!(message.activations && message.activations.length))
                                message.activations = [];
                            message.activations.push($root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (!(message.importance && message.importance.length))
                                message.importance = [];
                            message.importance.push($root.fedfuse.v1.Tensor.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (message.metrics === $util.emptyObject)
                                message.metrics = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 1)
                                        break;
                                    value = reader.double();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.metrics, key);
                            message.metrics[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape} ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientUpdate.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ClientUpdate message.
             * @function verify
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClientUpdate.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    if (!$util.isString(message.clientId))
                        return "clientId: string expected";
                if (message.weights != null && $Object.hasOwnProperty.call(message, "weights")) {
                    if (!$Array.isArray(message.weights))
                        return "weights: array expected";
                    for (let i = 0; i < message.weights.length; ++i) {
                        let error = $root.fedfuse.v1.Tensor.verify(message.weights[i], _depth + 1);
                        if (error)
                            return "weights." + error;
                    }
                }
                if (message.numExamples != null && $Object.hasOwnProperty.call(message, "numExamples"))
                    if (!$util.isInteger(message.numExamples) && !(message.numExamples && $util.isInteger(message.numExamples.low) && $util.isInteger(message.numExamples.high)))
                        return "numExamples: integer|Long expected";
                if (message.activations != null && $Object.hasOwnProperty.call(message, "activations")) {
                    if (!$Array.isArray(message.activations))
                        return "activations: array expected";
                    for (let i = 0; i < message.activations.length; ++i) {
                        let error = $root.fedfuse.v1.Tensor.verify(message.activations[i], _depth + 1);
                        if (error)
                            return "activations." + error;
                    }
                }
                if (message.importance != null && $Object.hasOwnProperty.call(message, "importance")) {
                    if (!$Array.isArray(message.importance))
                        return "importance: array expected";
                    for (let i = 0; i < message.importance.length; ++i) {
                        let error = $root.fedfuse.v1.Tensor.verify(message.importance[i], _depth + 1);
                        if (error)
                            return "importance." + error;
                    }
                }
                if (message.metrics != null && $Object.hasOwnProperty.call(message, "metrics")) {
                    if (!$util.isObject(message.metrics))
                        return "metrics: object expected";
                    let key = $Object.keys(message.metrics);
                    for (let i = 0; i < key.length; ++i)
                        if (typeof message.metrics[key[i]] !== "number")
                            return "metrics: number{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a ClientUpdate message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.ClientUpdate} ClientUpdate
             */
            ClientUpdate.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.ClientUpdate)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.ClientUpdate: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.ClientUpdate();
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                if (object.clientId != null)
                    if (typeof object.clientId !== "string" || object.clientId.length)
                        message.clientId = $String(object.clientId);
                if (object.weights) {
                    if (!$Array.isArray(object.weights))
                        throw $TypeError(".fedfuse.v1.ClientUpdate.weights: array expected");
                    message.weights = $Array(object.weights.length);
                    for (let i = 0; i < object.weights.length; ++i) {
                        if (!$util.isObject(object.weights[i]))
                            throw $TypeError(".fedfuse.v1.ClientUpdate.weights: object expected");
                        message.weights[i] = $root.fedfuse.v1.Tensor.fromObject(object.weights[i], _depth + 1);
                    }
                }
                if (object.numExamples != null)
                    if (typeof object.numExamples === "object" ? object.numExamples.low || object.numExamples.high : $Number(object.numExamples) !== 0)
                        if ($util.Long)
                            message.numExamples = $util.Long.fromValue(object.numExamples, true);
                        else if (typeof object.numExamples === "string")
                            message.numExamples = $parseInt(object.numExamples, 10);
                        else if (typeof object.numExamples === "number")
                            message.numExamples = object.numExamples;
                        else if (typeof object.numExamples === "object")
                            message.numExamples = new $util.LongBits(object.numExamples.low >>> 0, object.numExamples.high >>> 0).toNumber(true);
                if (object.activations) {
                    if (!$Array.isArray(object.activations))
                        throw $TypeError(".fedfuse.v1.ClientUpdate.activations: array expected");
                    message.activations = $Array(object.activations.length);
                    for (let i = 0; i < object.activations.length; ++i) {
                        if (!$util.isObject(object.activations[i]))
                            throw $TypeError(".fedfuse.v1.ClientUpdate.activations: object expected");
                        message.activations[i] = $root.fedfuse.v1.Tensor.fromObject(object.activations[i], _depth + 1);
                    }
                }
                if (object.importance) {
                    if (!$Array.isArray(object.importance))
                        throw $TypeError(".fedfuse.v1.ClientUpdate.importance: array expected");
                    message.importance = $Array(object.importance.length);
                    for (let i = 0; i < object.importance.length; ++i) {
                        if (!$util.isObject(object.importance[i]))
                            throw $TypeError(".fedfuse.v1.ClientUpdate.importance: object expected");
                        message.importance[i] = $root.fedfuse.v1.Tensor.fromObject(object.importance[i], _depth + 1);
                    }
                }
                if (object.metrics) {
                    if (!$util.isObject(object.metrics))
                        throw $TypeError(".fedfuse.v1.ClientUpdate.metrics: object expected");
                    message.metrics = {};
                    for (let keys = $Object.keys(object.metrics), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.metrics, keys[i]);
                        message.metrics[keys[i]] = $Number(object.metrics[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a ClientUpdate message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.ClientUpdate} message ClientUpdate
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClientUpdate.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.weights = [];
                    object.activations = [];
                    object.importance = [];
                }
                if (options.objects || options.defaults)
                    object.metrics = {};
                if (options.defaults) {
                    object.round = 0;
                    object.clientId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.numExamples = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.numExamples = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                if (message.clientId != null && $Object.hasOwnProperty.call(message, "clientId"))
                    object.clientId = message.clientId;
                if (message.weights && message.weights.length) {
                    object.weights = $Array(message.weights.length);
                    for (let j = 0; j < message.weights.length; ++j)
                        object.weights[j] = $root.fedfuse.v1.Tensor.toObject(message.weights[j], options, _depth + 1);
                }
                if (message.numExamples != null && $Object.hasOwnProperty.call(message, "numExamples"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.numExamples = typeof message.numExamples === "number" ? $BigInt(message.numExamples) : $util.Long.fromBits(message.numExamples.low >>> 0, message.numExamples.high >>> 0, true).toBigInt();
                    else if (typeof message.numExamples === "number")
                        object.numExamples = options.longs === $String ? $String(message.numExamples) : message.numExamples;
                    else
                        object.numExamples = options.longs === $String ? $util.Long.prototype.toString.call(message.numExamples) : options.longs === $Number ? new $util.LongBits(message.numExamples.low >>> 0, message.numExamples.high >>> 0).toNumber(true) : message.numExamples;
                if (message.activations && message.activations.length) {
                    object.activations = $Array(message.activations.length);
                    for (let j = 0; j < message.activations.length; ++j)
                        object.activations[j] = $root.fedfuse.v1.Tensor.toObject(message.activations[j], options, _depth + 1);
                }
                if (message.importance && message.importance.length) {
                    object.importance = $Array(message.importance.length);
                    for (let j = 0; j < message.importance.length; ++j)
                        object.importance[j] = $root.fedfuse.v1.Tensor.toObject(message.importance[j], options, _depth + 1);
                }
                let keys2;
                if (message.metrics && (keys2 = $Object.keys(message.metrics)).length) {
                    object.metrics = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.metrics, keys2[j]);
                        object.metrics[keys2[j]] = options.json && !$isFinite(message.metrics[keys2[j]]) ? $String(message.metrics[keys2[j]]) : message.metrics[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this ClientUpdate to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClientUpdate.prototype.toJSON = function() {
                return ClientUpdate.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ClientUpdate
             * @function getTypeUrl
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ClientUpdate.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.ClientUpdate";
            };

            return ClientUpdate;
        })();

        v1.UpdateAck = (function() {

            /**
             * Properties of an UpdateAck.
             * @typedef {Object} fedfuse.v1.UpdateAck.$Properties
             * @property {number|null} [round] UpdateAck round
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an UpdateAck.
             * @memberof fedfuse.v1
             * @interface IUpdateAck
             * @augments fedfuse.v1.UpdateAck.$Properties
             * @deprecated Use fedfuse.v1.UpdateAck.$Properties instead.
             */

            /**
             * Shape of an UpdateAck.
             * @typedef {fedfuse.v1.UpdateAck.$Properties} fedfuse.v1.UpdateAck.$Shape
             */

            /**
             * Constructs a new UpdateAck.
             * @memberof fedfuse.v1
             * @classdesc Represents an UpdateAck.
             * @constructor
             * @param {fedfuse.v1.UpdateAck.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const UpdateAck = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * UpdateAck round.
             * @member {number} round
             * @memberof fedfuse.v1.UpdateAck
             * @instance
             */
            UpdateAck.prototype.round = 0;

            /**
             * Creates a new UpdateAck instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {fedfuse.v1.UpdateAck.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.UpdateAck} UpdateAck instance
             * @type {{
             *   (properties: fedfuse.v1.UpdateAck.$Shape): fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape;
             *   (properties?: fedfuse.v1.UpdateAck.$Properties): fedfuse.v1.UpdateAck;
             * }}
             */
            UpdateAck.create = function(properties) {
                return new UpdateAck(properties);
            };

            /**
             * Encodes the specified UpdateAck message. Does not implicitly {@link fedfuse.v1.UpdateAck.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {fedfuse.v1.UpdateAck.$Properties} message UpdateAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            UpdateAck.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified UpdateAck message, length delimited. Does not implicitly {@link fedfuse.v1.UpdateAck.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {fedfuse.v1.UpdateAck.$Properties} message UpdateAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            UpdateAck.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an UpdateAck message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape} UpdateAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            UpdateAck.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.UpdateAck();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an UpdateAck message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape} UpdateAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            UpdateAck.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an UpdateAck message.
             * @function verify
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            UpdateAck.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                return null;
            };

            /**
             * Creates an UpdateAck message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.UpdateAck} UpdateAck
             */
            UpdateAck.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.UpdateAck)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.UpdateAck: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.UpdateAck();
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                return message;
            };

            /**
             * Creates a plain object from an UpdateAck message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {fedfuse.v1.UpdateAck} message UpdateAck
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            UpdateAck.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.round = 0;
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                return object;
            };

            /**
             * Converts this UpdateAck to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.UpdateAck
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            UpdateAck.prototype.toJSON = function() {
                return UpdateAck.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for UpdateAck
             * @function getTypeUrl
             * @memberof fedfuse.v1.UpdateAck
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            UpdateAck.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.UpdateAck";
            };

            return UpdateAck;
        })();

        v1.RoundResult = (function() {

            /**
             * Properties of a RoundResult.
             * @typedef {Object} fedfuse.v1.RoundResult.$Properties
             * @property {number|null} [round] RoundResult round
             * @property {fedfuse.v1.ModelPayload.$Properties|null} [globalModel] RoundResult globalModel
             * @property {Object.<string,number>|null} [metrics] RoundResult metrics
             * @property {Array.<string>|null} [participants] RoundResult participants
             * @property {boolean|null} [final] RoundResult final
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RoundResult.
             * @memberof fedfuse.v1
             * @interface IRoundResult
             * @augments fedfuse.v1.RoundResult.$Properties
             * @deprecated Use fedfuse.v1.RoundResult.$Properties instead.
             */

            /**
             * Shape of a RoundResult.
             * @typedef {fedfuse.v1.RoundResult.$Properties} fedfuse.v1.RoundResult.$Shape
             */

            /**
             * Constructs a new RoundResult.
             * @memberof fedfuse.v1
             * @classdesc Represents a RoundResult.
             * @constructor
             * @param {fedfuse.v1.RoundResult.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RoundResult = function (properties) {
                this.metrics = {};
                this.participants = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RoundResult round.
             * @member {number} round
             * @memberof fedfuse.v1.RoundResult
             * @instance
             */
            RoundResult.prototype.round = 0;

            /**
             * RoundResult globalModel.
             * @member {fedfuse.v1.ModelPayload.$Properties|null|undefined} globalModel
             * @memberof fedfuse.v1.RoundResult
             * @instance
             */
            RoundResult.prototype.globalModel = null;

            /**
             * RoundResult metrics.
             * @member {Object.<string,number>} metrics
             * @memberof fedfuse.v1.RoundResult
             * @instance
             */
            RoundResult.prototype.metrics = $util.emptyObject;

            /**
             * RoundResult participants.
             * @member {Array.<string>} participants
             * @memberof fedfuse.v1.RoundResult
             * @instance
             */
            RoundResult.prototype.participants = $util.emptyArray;

            /**
             * RoundResult final.
             * @member {boolean} final
             * @memberof fedfuse.v1.RoundResult
             * @instance
             */
            RoundResult.prototype.final = false;

            /**
             * Creates a new RoundResult instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {fedfuse.v1.RoundResult.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.RoundResult} RoundResult instance
             * @type {{
             *   (properties: fedfuse.v1.RoundResult.$Shape): fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape;
             *   (properties?: fedfuse.v1.RoundResult.$Properties): fedfuse.v1.RoundResult;
             * }}
             */
            RoundResult.create = function(properties) {
                return new RoundResult(properties);
            };

            /**
             * Encodes the specified RoundResult message. Does not implicitly {@link fedfuse.v1.RoundResult.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {fedfuse.v1.RoundResult.$Properties} message RoundResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RoundResult.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel"))
                    $root.fedfuse.v1.ModelPayload.encode(message.globalModel, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.metrics != null && $Object.hasOwnProperty.call(message, "metrics"))
                    for (let keys = $Object.keys(message.metrics), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 1 =*/17).double(message.metrics[keys[i]]).ldelim();
                if (message.participants != null && message.participants.length)
                    for (let i = 0; i < message.participants.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.participants[i]);
                if (message.final != null && $Object.hasOwnProperty.call(message, "final") && message.final !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.final);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified RoundResult message, length delimited. Does not implicitly {@link fedfuse.v1.RoundResult.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {fedfuse.v1.RoundResult.$Properties} message RoundResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RoundResult.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a RoundResult message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape} RoundResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RoundResult.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.RoundResult();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.globalModel = $root.fedfuse.v1.ModelPayload.decode(reader, reader.size(), $undefined, _depth + 1, message.globalModel);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (message.metrics === $util.emptyObject)
                                message.metrics = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 1)
                                        break;
                                    value = reader.double();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.metrics, key);
                            message.metrics[key] = value;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.participants && message.participants.length))
                                message.participants = [];
                            message.participants.push(reader.stringVerify());
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.final = value;
                            else
                                delete message.final;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a RoundResult message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape} RoundResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RoundResult.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a RoundResult message.
             * @function verify
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            RoundResult.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel")) {
                    let error = $root.fedfuse.v1.ModelPayload.verify(message.globalModel, _depth + 1);
                    if (error)
                        return "globalModel." + error;
                }
                if (message.metrics != null && $Object.hasOwnProperty.call(message, "metrics")) {
                    if (!$util.isObject(message.metrics))
                        return "metrics: object expected";
                    let key = $Object.keys(message.metrics);
                    for (let i = 0; i < key.length; ++i)
                        if (typeof message.metrics[key[i]] !== "number")
                            return "metrics: number{k:string} expected";
                }
                if (message.participants != null && $Object.hasOwnProperty.call(message, "participants")) {
                    if (!$Array.isArray(message.participants))
                        return "participants: array expected";
                    for (let i = 0; i < message.participants.length; ++i)
                        if (!$util.isString(message.participants[i]))
                            return "participants: string[] expected";
                }
                if (message.final != null && $Object.hasOwnProperty.call(message, "final"))
                    if (typeof message.final !== "boolean")
                        return "final: boolean expected";
                return null;
            };

            /**
             * Creates a RoundResult message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.RoundResult} RoundResult
             */
            RoundResult.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.RoundResult)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.RoundResult: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.RoundResult();
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                if (object.globalModel != null) {
                    if (!$util.isObject(object.globalModel))
                        throw $TypeError(".fedfuse.v1.RoundResult.globalModel: object expected");
                    message.globalModel = $root.fedfuse.v1.ModelPayload.fromObject(object.globalModel, _depth + 1);
                }
                if (object.metrics) {
                    if (!$util.isObject(object.metrics))
                        throw $TypeError(".fedfuse.v1.RoundResult.metrics: object expected");
                    message.metrics = {};
                    for (let keys = $Object.keys(object.metrics), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.metrics, keys[i]);
                        message.metrics[keys[i]] = $Number(object.metrics[keys[i]]);
                    }
                }
                if (object.participants) {
                    if (!$Array.isArray(object.participants))
                        throw $TypeError(".fedfuse.v1.RoundResult.participants: array expected");
                    message.participants = $Array(object.participants.length);
                    for (let i = 0; i < object.participants.length; ++i)
                        message.participants[i] = $String(object.participants[i]);
                }
                if (object.final != null)
                    if (object.final)
                        message.final = $Boolean(object.final);
                return message;
            };

            /**
             * Creates a plain object from a RoundResult message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {fedfuse.v1.RoundResult} message RoundResult
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RoundResult.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.participants = [];
                if (options.objects || options.defaults)
                    object.metrics = {};
                if (options.defaults) {
                    object.round = 0;
                    object.globalModel = null;
                    object.final = false;
                }
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                if (message.globalModel != null && $Object.hasOwnProperty.call(message, "globalModel"))
                    object.globalModel = $root.fedfuse.v1.ModelPayload.toObject(message.globalModel, options, _depth + 1);
                let keys2;
                if (message.metrics && (keys2 = $Object.keys(message.metrics)).length) {
                    object.metrics = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.metrics, keys2[j]);
                        object.metrics[keys2[j]] = options.json && !$isFinite(message.metrics[keys2[j]]) ? $String(message.metrics[keys2[j]]) : message.metrics[keys2[j]];
                    }
                }
                if (message.participants && message.participants.length) {
                    object.participants = $Array(message.participants.length);
                    for (let j = 0; j < message.participants.length; ++j)
                        object.participants[j] = message.participants[j];
                }
                if (message.final != null && $Object.hasOwnProperty.call(message, "final"))
                    object.final = message.final;
                return object;
            };

            /**
             * Converts this RoundResult to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.RoundResult
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RoundResult.prototype.toJSON = function() {
                return RoundResult.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for RoundResult
             * @function getTypeUrl
             * @memberof fedfuse.v1.RoundResult
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RoundResult.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.RoundResult";
            };

            return RoundResult;
        })();

        /**
         * ErrorCode enum.
         * @name fedfuse.v1.ErrorCode
         * @enum {number}
         * @property {number} UNKNOWN=0 UNKNOWN value
         * @property {number} BAD_MESSAGE=1 BAD_MESSAGE value
         * @property {number} UNAUTHORIZED=2 UNAUTHORIZED value
         * @property {number} PROTOCOL_VERSION=3 PROTOCOL_VERSION value
         * @property {number} WRONG_ROUND=4 WRONG_ROUND value
         * @property {number} BAD_TENSOR=5 BAD_TENSOR value
         * @property {number} TOO_LARGE=6 TOO_LARGE value
         * @property {number} UNKNOWN_CLIENT=7 UNKNOWN_CLIENT value
         * @property {number} REJECTED_UPDATE=8 REJECTED_UPDATE value
         * @property {number} RATE_LIMITED=9 RATE_LIMITED value
         * @property {number} SERVER_FULL=10 SERVER_FULL value
         * @property {number} CLIENT_FAILED=11 CLIENT_FAILED value
         * @property {number} NO_FITTING_TIER=12 NO_FITTING_TIER value
         * @property {number} UNAVAILABLE=13 UNAVAILABLE value
         * @property {number} BANNED=14 BANNED value
         */
        v1.ErrorCode = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "UNKNOWN"] = 0;
            values[valuesById[1] = "BAD_MESSAGE"] = 1;
            values[valuesById[2] = "UNAUTHORIZED"] = 2;
            values[valuesById[3] = "PROTOCOL_VERSION"] = 3;
            values[valuesById[4] = "WRONG_ROUND"] = 4;
            values[valuesById[5] = "BAD_TENSOR"] = 5;
            values[valuesById[6] = "TOO_LARGE"] = 6;
            values[valuesById[7] = "UNKNOWN_CLIENT"] = 7;
            values[valuesById[8] = "REJECTED_UPDATE"] = 8;
            values[valuesById[9] = "RATE_LIMITED"] = 9;
            values[valuesById[10] = "SERVER_FULL"] = 10;
            values[valuesById[11] = "CLIENT_FAILED"] = 11;
            values[valuesById[12] = "NO_FITTING_TIER"] = 12;
            values[valuesById[13] = "UNAVAILABLE"] = 13;
            values[valuesById[14] = "BANNED"] = 14;
            return values;
        })();

        v1.Error = (function() {

            /**
             * Properties of an Error.
             * @typedef {Object} fedfuse.v1.Error.$Properties
             * @property {fedfuse.v1.ErrorCode|null} [code] Error code
             * @property {string|null} [message] Error message
             * @property {number|null} [round] Error round
             * @property {number|null} [retryAfterMs] Error retryAfterMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Error.
             * @memberof fedfuse.v1
             * @interface IError
             * @augments fedfuse.v1.Error.$Properties
             * @deprecated Use fedfuse.v1.Error.$Properties instead.
             */

            /**
             * Shape of an Error.
             * @typedef {fedfuse.v1.Error.$Properties} fedfuse.v1.Error.$Shape
             */

            /**
             * Constructs a new Error.
             * @memberof fedfuse.v1
             * @classdesc Represents an Error.
             * @constructor
             * @param {fedfuse.v1.Error.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Error = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Error code.
             * @member {fedfuse.v1.ErrorCode} code
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.code = 0;

            /**
             * Error message.
             * @member {string} message
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.message = "";

            /**
             * Error round.
             * @member {number} round
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.round = 0;

            /**
             * Error retryAfterMs.
             * @member {number} retryAfterMs
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.retryAfterMs = 0;

            /**
             * Creates a new Error instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.Error.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Error} Error instance
             * @type {{
             *   (properties: fedfuse.v1.Error.$Shape): fedfuse.v1.Error & fedfuse.v1.Error.$Shape;
             *   (properties?: fedfuse.v1.Error.$Properties): fedfuse.v1.Error;
             * }}
             */
            Error.create = function(properties) {
                return new Error(properties);
            };

            /**
             * Encodes the specified Error message. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.Error.$Properties} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.code);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.round);
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs") && message.retryAfterMs !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.retryAfterMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Error message, length delimited. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.Error.$Properties} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Error & fedfuse.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Error();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.retryAfterMs = value;
                            else
                                delete message.retryAfterMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an Error message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Error & fedfuse.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an Error message.
             * @function verify
             * @memberof fedfuse.v1.Error
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Error.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    if (typeof message.code !== "number" || (message.code | 0) !== message.code)
                        return "code: enum value expected";
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs"))
                    if (!$util.isInteger(message.retryAfterMs))
                        return "retryAfterMs: integer expected";
                return null;
            };

            /**
             * Creates an Error message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Error
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Error} Error
             */
            Error.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Error)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Error: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Error();
                if (object.code !== 0 && (typeof object.code !== "string" || $root.fedfuse.v1.ErrorCode[object.code] !== 0))
                    switch (object.code) {
                    case "UNKNOWN":
                    case 0:
                        message.code = 0;
                        break;
                    case "BAD_MESSAGE":
                    case 1:
                        message.code = 1;
                        break;
                    case "UNAUTHORIZED":
                    case 2:
                        message.code = 2;
                        break;
                    case "PROTOCOL_VERSION":
                    case 3:
                        message.code = 3;
                        break;
                    case "WRONG_ROUND":
                    case 4:
                        message.code = 4;
                        break;
                    case "BAD_TENSOR":
                    case 5:
                        message.code = 5;
                        break;
                    case "TOO_LARGE":
                    case 6:
                        message.code = 6;
                        break;
                    case "UNKNOWN_CLIENT":
                    case 7:
                        message.code = 7;
                        break;
                    case "REJECTED_UPDATE":
                    case 8:
                        message.code = 8;
                        break;
                    case "RATE_LIMITED":
                    case 9:
                        message.code = 9;
                        break;
                    case "SERVER_FULL":
                    case 10:
                        message.code = 10;
                        break;
                    case "CLIENT_FAILED":
                    case 11:
                        message.code = 11;
                        break;
                    case "NO_FITTING_TIER":
                    case 12:
                        message.code = 12;
                        break;
                    case "UNAVAILABLE":
                    case 13:
                        message.code = 13;
                        break;
                    case "BANNED":
                    case 14:
                        message.code = 14;
                        break;
                    default:
                        if (typeof object.code === "number" && (object.code | 0) === object.code)
                            message.code = object.code;
                    }
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                if (object.retryAfterMs != null)
                    if ($Number(object.retryAfterMs) !== 0)
                        message.retryAfterMs = object.retryAfterMs >>> 0;
                return message;
            };

            /**
             * Creates a plain object from an Error message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.Error} message Error
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Error.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.code = options.enums === $String ? "UNKNOWN" : 0;
                    object.message = "";
                    object.round = 0;
                    object.retryAfterMs = 0;
                }
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    object.code = options.enums === $String ? $root.fedfuse.v1.ErrorCode[message.code] === $undefined ? message.code : $root.fedfuse.v1.ErrorCode[message.code] : message.code;
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs"))
                    object.retryAfterMs = message.retryAfterMs;
                return object;
            };

            /**
             * Converts this Error to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Error
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Error.prototype.toJSON = function() {
                return Error.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Error
             * @function getTypeUrl
             * @memberof fedfuse.v1.Error
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Error.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Error";
            };

            return Error;
        })();

        /**
         * ServerState enum.
         * @name fedfuse.v1.ServerState
         * @enum {number}
         * @property {number} SERVER_STATE_UNSPECIFIED=0 SERVER_STATE_UNSPECIFIED value
         * @property {number} WAITING_FOR_STORE=1 WAITING_FOR_STORE value
         */
        v1.ServerState = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "SERVER_STATE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "WAITING_FOR_STORE"] = 1;
            return values;
        })();

        v1.ServerStatus = (function() {

            /**
             * Properties of a ServerStatus.
             * @typedef {Object} fedfuse.v1.ServerStatus.$Properties
             * @property {fedfuse.v1.ServerState|null} [state] ServerStatus state
             * @property {string|null} [message] ServerStatus message
             * @property {number|null} [round] ServerStatus round
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ServerStatus.
             * @memberof fedfuse.v1
             * @interface IServerStatus
             * @augments fedfuse.v1.ServerStatus.$Properties
             * @deprecated Use fedfuse.v1.ServerStatus.$Properties instead.
             */

            /**
             * Shape of a ServerStatus.
             * @typedef {fedfuse.v1.ServerStatus.$Properties} fedfuse.v1.ServerStatus.$Shape
             */

            /**
             * Constructs a new ServerStatus.
             * @memberof fedfuse.v1
             * @classdesc Represents a ServerStatus.
             * @constructor
             * @param {fedfuse.v1.ServerStatus.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ServerStatus = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ServerStatus state.
             * @member {fedfuse.v1.ServerState} state
             * @memberof fedfuse.v1.ServerStatus
             * @instance
             */
            ServerStatus.prototype.state = 0;

            /**
             * ServerStatus message.
             * @member {string} message
             * @memberof fedfuse.v1.ServerStatus
             * @instance
             */
            ServerStatus.prototype.message = "";

            /**
             * ServerStatus round.
             * @member {number} round
             * @memberof fedfuse.v1.ServerStatus
             * @instance
             */
            ServerStatus.prototype.round = 0;

            /**
             * Creates a new ServerStatus instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {fedfuse.v1.ServerStatus.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.ServerStatus} ServerStatus instance
             * @type {{
             *   (properties: fedfuse.v1.ServerStatus.$Shape): fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape;
             *   (properties?: fedfuse.v1.ServerStatus.$Properties): fedfuse.v1.ServerStatus;
             * }}
             */
            ServerStatus.create = function(properties) {
                return new ServerStatus(properties);
            };

            /**
             * Encodes the specified ServerStatus message. Does not implicitly {@link fedfuse.v1.ServerStatus.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {fedfuse.v1.ServerStatus.$Properties} message ServerStatus message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServerStatus.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.state != null && $Object.hasOwnProperty.call(message, "state") && message.state !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.state);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.round);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ServerStatus message, length delimited. Does not implicitly {@link fedfuse.v1.ServerStatus.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {fedfuse.v1.ServerStatus.$Properties} message ServerStatus message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServerStatus.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ServerStatus message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape} ServerStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServerStatus.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.ServerStatus();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.state = value;
                            else
                                delete message.state;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ServerStatus message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape} ServerStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServerStatus.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ServerStatus message.
             * @function verify
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ServerStatus.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.state != null && $Object.hasOwnProperty.call(message, "state"))
                    if (typeof message.state !== "number" || (message.state | 0) !== message.state)
                        return "state: enum value expected";
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    if (!$util.isInteger(message.round))
                        return "round: integer expected";
                return null;
            };

            /**
             * Creates a ServerStatus message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.ServerStatus} ServerStatus
             */
            ServerStatus.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.ServerStatus)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.ServerStatus: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.ServerStatus();
                if (object.state !== 0 && (typeof object.state !== "string" || $root.fedfuse.v1.ServerState[object.state] !== 0))
                    switch (object.state) {
                    case "SERVER_STATE_UNSPECIFIED":
                    case 0:
                        message.state = 0;
                        break;
                    case "WAITING_FOR_STORE":
                    case 1:
                        message.state = 1;
                        break;
                    default:
                        if (typeof object.state === "number" && (object.state | 0) === object.state)
                            message.state = object.state;
                    }
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                if (object.round != null)
                    if ($Number(object.round) !== 0)
                        message.round = object.round >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a ServerStatus message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {fedfuse.v1.ServerStatus} message ServerStatus
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ServerStatus.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.state = options.enums === $String ? "SERVER_STATE_UNSPECIFIED" : 0;
                    object.message = "";
                    object.round = 0;
                }
                if (message.state != null && $Object.hasOwnProperty.call(message, "state"))
                    object.state = options.enums === $String ? $root.fedfuse.v1.ServerState[message.state] === $undefined ? message.state : $root.fedfuse.v1.ServerState[message.state] : message.state;
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                if (message.round != null && $Object.hasOwnProperty.call(message, "round"))
                    object.round = message.round;
                return object;
            };

            /**
             * Converts this ServerStatus to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.ServerStatus
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ServerStatus.prototype.toJSON = function() {
                return ServerStatus.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ServerStatus
             * @function getTypeUrl
             * @memberof fedfuse.v1.ServerStatus
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ServerStatus.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.ServerStatus";
            };

            return ServerStatus;
        })();

        v1.Heartbeat = (function() {

            /**
             * Properties of a Heartbeat.
             * @typedef {Object} fedfuse.v1.Heartbeat.$Properties
             * @property {number|null} [sentUnixMs] Heartbeat sentUnixMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Heartbeat.
             * @memberof fedfuse.v1
             * @interface IHeartbeat
             * @augments fedfuse.v1.Heartbeat.$Properties
             * @deprecated Use fedfuse.v1.Heartbeat.$Properties instead.
             */

            /**
             * Shape of a Heartbeat.
             * @typedef {fedfuse.v1.Heartbeat.$Properties} fedfuse.v1.Heartbeat.$Shape
             */

            /**
             * Constructs a new Heartbeat.
             * @memberof fedfuse.v1
             * @classdesc Represents a Heartbeat.
             * @constructor
             * @param {fedfuse.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Heartbeat = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Heartbeat sentUnixMs.
             * @member {number} sentUnixMs
             * @memberof fedfuse.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.sentUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {fedfuse.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Heartbeat} Heartbeat instance
             * @type {{
             *   (properties: fedfuse.v1.Heartbeat.$Shape): fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape;
             *   (properties?: fedfuse.v1.Heartbeat.$Properties): fedfuse.v1.Heartbeat;
             * }}
             */
            Heartbeat.create = function(properties) {
                return new Heartbeat(properties);
            };

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link fedfuse.v1.Heartbeat.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {fedfuse.v1.Heartbeat.$Properties} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sentUnixMs != null && $Object.hasOwnProperty.call(message, "sentUnixMs") && (typeof message.sentUnixMs === "object" ? message.sentUnixMs.low || message.sentUnixMs.high : message.sentUnixMs !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.sentUnixMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Heartbeat message, length delimited. Does not implicitly {@link fedfuse.v1.Heartbeat.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {fedfuse.v1.Heartbeat.$Properties} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Heartbeat();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentUnixMs = value;
                            else
                                delete message.sentUnixMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Heartbeat message.
             * @function verify
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Heartbeat.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sentUnixMs != null && $Object.hasOwnProperty.call(message, "sentUnixMs"))
                    if (!$util.isInteger(message.sentUnixMs) && !(message.sentUnixMs && $util.isInteger(message.sentUnixMs.low) && $util.isInteger(message.sentUnixMs.high)))
                        return "sentUnixMs: integer|Long expected";
                return null;
            };

            /**
             * Creates a Heartbeat message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Heartbeat} Heartbeat
             */
            Heartbeat.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Heartbeat)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Heartbeat: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Heartbeat();
                if (object.sentUnixMs != null)
                    if (typeof object.sentUnixMs === "object" ? object.sentUnixMs.low || object.sentUnixMs.high : $Number(object.sentUnixMs) !== 0)
                        if ($util.Long)
                            message.sentUnixMs = $util.Long.fromValue(object.sentUnixMs, true);
                        else if (typeof object.sentUnixMs === "string")
                            message.sentUnixMs = $parseInt(object.sentUnixMs, 10);
                        else if (typeof object.sentUnixMs === "number")
                            message.sentUnixMs = object.sentUnixMs;
                        else if (typeof object.sentUnixMs === "object")
                            message.sentUnixMs = new $util.LongBits(object.sentUnixMs.low >>> 0, object.sentUnixMs.high >>> 0).toNumber(true);
                return message;
            };

            /**
             * Creates a plain object from a Heartbeat message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {fedfuse.v1.Heartbeat} message Heartbeat
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Heartbeat.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sentUnixMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sentUnixMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if (message.sentUnixMs != null && $Object.hasOwnProperty.call(message, "sentUnixMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sentUnixMs = typeof message.sentUnixMs === "number" ? $BigInt(message.sentUnixMs) : $util.Long.fromBits(message.sentUnixMs.low >>> 0, message.sentUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof message.sentUnixMs === "number")
                        object.sentUnixMs = options.longs === $String ? $String(message.sentUnixMs) : message.sentUnixMs;
                    else
                        object.sentUnixMs = options.longs === $String ? $util.Long.prototype.toString.call(message.sentUnixMs) : options.longs === $Number ? new $util.LongBits(message.sentUnixMs.low >>> 0, message.sentUnixMs.high >>> 0).toNumber(true) : message.sentUnixMs;
                return object;
            };

            /**
             * Converts this Heartbeat to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Heartbeat
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Heartbeat.prototype.toJSON = function() {
                return Heartbeat.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Heartbeat
             * @function getTypeUrl
             * @memberof fedfuse.v1.Heartbeat
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Heartbeat.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Heartbeat";
            };

            return Heartbeat;
        })();

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @typedef {Object} fedfuse.v1.Envelope.$Properties
             * @property {number|null} [protocolVersion] Envelope protocolVersion
             * @property {fedfuse.v1.Join.$Properties|null} [join] Envelope join
             * @property {fedfuse.v1.Welcome.$Properties|null} [welcome] Envelope welcome
             * @property {fedfuse.v1.TrainTask.$Properties|null} [trainTask] Envelope trainTask
             * @property {fedfuse.v1.ClientUpdate.$Properties|null} [clientUpdate] Envelope clientUpdate
             * @property {fedfuse.v1.UpdateAck.$Properties|null} [updateAck] Envelope updateAck
             * @property {fedfuse.v1.RoundResult.$Properties|null} [roundResult] Envelope roundResult
             * @property {fedfuse.v1.Error.$Properties|null} [error] Envelope error
             * @property {fedfuse.v1.Heartbeat.$Properties|null} [heartbeat] Envelope heartbeat
             * @property {fedfuse.v1.ProbeRequest.$Properties|null} [probeRequest] Envelope probeRequest
             * @property {fedfuse.v1.ServerStatus.$Properties|null} [serverStatus] Envelope serverStatus
             * @property {"join"|"welcome"|"trainTask"|"clientUpdate"|"updateAck"|"roundResult"|"error"|"heartbeat"|"probeRequest"|"serverStatus"} [body] Envelope body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Envelope.
             * @memberof fedfuse.v1
             * @interface IEnvelope
             * @augments fedfuse.v1.Envelope.$Properties
             * @deprecated Use fedfuse.v1.Envelope.$Properties instead.
             */

            /**
             * Narrowed shape of an Envelope.
             * @typedef {{
             *   protocolVersion?: number|null;
             *   join?: fedfuse.v1.Join.$Shape|null;
             *   welcome?: fedfuse.v1.Welcome.$Shape|null;
             *   trainTask?: fedfuse.v1.TrainTask.$Shape|null;
             *   clientUpdate?: fedfuse.v1.ClientUpdate.$Shape|null;
             *   updateAck?: fedfuse.v1.UpdateAck.$Shape|null;
             *   roundResult?: fedfuse.v1.RoundResult.$Shape|null;
             *   error?: fedfuse.v1.Error.$Shape|null;
             *   heartbeat?: fedfuse.v1.Heartbeat.$Shape|null;
             *   probeRequest?: fedfuse.v1.ProbeRequest.$Shape|null;
             *   serverStatus?: fedfuse.v1.ServerStatus.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "join"; join: fedfuse.v1.Join.$Shape; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "welcome"; join?: null; welcome: fedfuse.v1.Welcome.$Shape; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "trainTask"; join?: null; welcome?: null; trainTask: fedfuse.v1.TrainTask.$Shape; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "clientUpdate"; join?: null; welcome?: null; trainTask?: null; clientUpdate: fedfuse.v1.ClientUpdate.$Shape; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "updateAck"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck: fedfuse.v1.UpdateAck.$Shape; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "roundResult"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult: fedfuse.v1.RoundResult.$Shape; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "error"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error: fedfuse.v1.Error.$Shape; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "heartbeat"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat: fedfuse.v1.Heartbeat.$Shape; probeRequest?: null; serverStatus?: null }|{ body?: "probeRequest"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest: fedfuse.v1.ProbeRequest.$Shape; serverStatus?: null }|{ body?: "serverStatus"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus: fedfuse.v1.ServerStatus.$Shape })
             * )} fedfuse.v1.Envelope.$Shape
             */

            /**
             * Constructs a new Envelope.
             * @memberof fedfuse.v1
             * @classdesc Represents an Envelope.
             * @constructor
             * @param {fedfuse.v1.Envelope.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Envelope = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Envelope protocolVersion.
             * @member {number} protocolVersion
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.protocolVersion = 0;

            /**
             * Envelope join.
             * @member {fedfuse.v1.Join.$Properties|null|undefined} join
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.join = null;

            /**
             * Envelope welcome.
             * @member {fedfuse.v1.Welcome.$Properties|null|undefined} welcome
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.welcome = null;

            /**
             * Envelope trainTask.
             * @member {fedfuse.v1.TrainTask.$Properties|null|undefined} trainTask
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.trainTask = null;

            /**
             * Envelope clientUpdate.
             * @member {fedfuse.v1.ClientUpdate.$Properties|null|undefined} clientUpdate
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.clientUpdate = null;

            /**
             * Envelope updateAck.
             * @member {fedfuse.v1.UpdateAck.$Properties|null|undefined} updateAck
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.updateAck = null;

            /**
             * Envelope roundResult.
             * @member {fedfuse.v1.RoundResult.$Properties|null|undefined} roundResult
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.roundResult = null;

            /**
             * Envelope error.
             * @member {fedfuse.v1.Error.$Properties|null|undefined} error
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.error = null;

            /**
             * Envelope heartbeat.
             * @member {fedfuse.v1.Heartbeat.$Properties|null|undefined} heartbeat
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.heartbeat = null;

            /**
             * Envelope probeRequest.
             * @member {fedfuse.v1.ProbeRequest.$Properties|null|undefined} probeRequest
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.probeRequest = null;

            /**
             * Envelope serverStatus.
             * @member {fedfuse.v1.ServerStatus.$Properties|null|undefined} serverStatus
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.serverStatus = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Envelope body.
             * @member {"join"|"welcome"|"trainTask"|"clientUpdate"|"updateAck"|"roundResult"|"error"|"heartbeat"|"probeRequest"|"serverStatus"|undefined} body
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            $Object.defineProperty(Envelope.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["join", "welcome", "trainTask", "clientUpdate", "updateAck", "roundResult", "error", "heartbeat", "probeRequest", "serverStatus"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.Envelope.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Envelope} Envelope instance
             * @type {{
             *   (properties: fedfuse.v1.Envelope.$Shape): fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape;
             *   (properties?: fedfuse.v1.Envelope.$Properties): fedfuse.v1.Envelope;
             * }}
             */
            Envelope.create = function(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.join != null && $Object.hasOwnProperty.call(message, "join"))
                    $root.fedfuse.v1.Join.encode(message.join, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome"))
                    $root.fedfuse.v1.Welcome.encode(message.welcome, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.trainTask != null && $Object.hasOwnProperty.call(message, "trainTask"))
                    $root.fedfuse.v1.TrainTask.encode(message.trainTask, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                if (message.clientUpdate != null && $Object.hasOwnProperty.call(message, "clientUpdate"))
                    $root.fedfuse.v1.ClientUpdate.encode(message.clientUpdate, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                if (message.updateAck != null && $Object.hasOwnProperty.call(message, "updateAck"))
                    $root.fedfuse.v1.UpdateAck.encode(message.updateAck, writer.uint32(/* id 14, wireType 2 =*/114).fork(), _depth + 1).ldelim();
                if (message.roundResult != null && $Object.hasOwnProperty.call(message, "roundResult"))
                    $root.fedfuse.v1.RoundResult.encode(message.roundResult, writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
                if (message.error != null && $Object.hasOwnProperty.call(message, "error"))
                    $root.fedfuse.v1.Error.encode(message.error, writer.uint32(/* id 16, wireType 2 =*/130).fork(), _depth + 1).ldelim();
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat"))
                    $root.fedfuse.v1.Heartbeat.encode(message.heartbeat, writer.uint32(/* id 17, wireType 2 =*/138).fork(), _depth + 1).ldelim();
                if (message.probeRequest != null && $Object.hasOwnProperty.call(message, "probeRequest"))
                    $root.fedfuse.v1.ProbeRequest.encode(message.probeRequest, writer.uint32(/* id 18, wireType 2 =*/146).fork(), _depth + 1).ldelim();
                if (message.serverStatus != null && $Object.hasOwnProperty.call(message, "serverStatus"))
                    $root.fedfuse.v1.ServerStatus.encode(message.serverStatus, writer.uint32(/* id 19, wireType 2 =*/154).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Envelope message, length delimited. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Envelope();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.join = $root.fedfuse.v1.Join.decode(reader, reader.size(), $undefined, _depth + 1, message.join);
                            message.body = "join";
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.welcome = $root.fedfuse.v1.Welcome.decode(reader, reader.size(), $undefined, _depth + 1, message.welcome);
                            message.body = "welcome";
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            message.trainTask = $root.fedfuse.v1.TrainTask.decode(reader, reader.size(), $undefined, _depth + 1, message.trainTask);
                            message.body = "trainTask";
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            message.clientUpdate = $root.fedfuse.v1.ClientUpdate.decode(reader, reader.size(), $undefined, _depth + 1, message.clientUpdate);
                            message.body = "clientUpdate";
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            message.updateAck = $root.fedfuse.v1.UpdateAck.decode(reader, reader.size(), $undefined, _depth + 1, message.updateAck);
                            message.body = "updateAck";
                            continue;
                        }
                    case 15: {
                            if (wireType !== 2)
                                break;
                            message.roundResult = $root.fedfuse.v1.RoundResult.decode(reader, reader.size(), $undefined, _depth + 1, message.roundResult);
                            message.body = "roundResult";
                            continue;
                        }
                    case 16: {
                            if (wireType !== 2)
                                break;
                            message.error = $root.fedfuse.v1.Error.decode(reader, reader.size(), $undefined, _depth + 1, message.error);
                            message.body = "error";
                            continue;
                        }
                    case 17: {
                            if (wireType !== 2)
                                break;
                            message.heartbeat = $root.fedfuse.v1.Heartbeat.decode(reader, reader.size(), $undefined, _depth + 1, message.heartbeat);
                            message.body = "heartbeat";
                            continue;
                        }
                    case 18: {
                            if (wireType !== 2)
                                break;
                            message.probeRequest = $root.fedfuse.v1.ProbeRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.probeRequest);
                            message.body = "probeRequest";
                            continue;
                        }
                    case 19: {
                            if (wireType !== 2)
                                break;
                            message.serverStatus = $root.fedfuse.v1.ServerStatus.decode(reader, reader.size(), $undefined, _depth + 1, message.serverStatus);
                            message.body = "serverStatus";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an Envelope message.
             * @function verify
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Envelope.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    if (!$util.isInteger(message.protocolVersion))
                        return "protocolVersion: integer expected";
                if (message.join != null && $Object.hasOwnProperty.call(message, "join")) {
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.Join.verify(message.join, _depth + 1);
                        if (error)
                            return "join." + error;
                    }
                }
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.Welcome.verify(message.welcome, _depth + 1);
                        if (error)
                            return "welcome." + error;
                    }
                }
                if (message.trainTask != null && $Object.hasOwnProperty.call(message, "trainTask")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.TrainTask.verify(message.trainTask, _depth + 1);
                        if (error)
                            return "trainTask." + error;
                    }
                }
                if (message.clientUpdate != null && $Object.hasOwnProperty.call(message, "clientUpdate")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.ClientUpdate.verify(message.clientUpdate, _depth + 1);
                        if (error)
                            return "clientUpdate." + error;
                    }
                }
                if (message.updateAck != null && $Object.hasOwnProperty.call(message, "updateAck")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.UpdateAck.verify(message.updateAck, _depth + 1);
                        if (error)
                            return "updateAck." + error;
                    }
                }
                if (message.roundResult != null && $Object.hasOwnProperty.call(message, "roundResult")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.RoundResult.verify(message.roundResult, _depth + 1);
                        if (error)
                            return "roundResult." + error;
                    }
                }
                if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.Error.verify(message.error, _depth + 1);
                        if (error)
                            return "error." + error;
                    }
                }
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.Heartbeat.verify(message.heartbeat, _depth + 1);
                        if (error)
                            return "heartbeat." + error;
                    }
                }
                if (message.probeRequest != null && $Object.hasOwnProperty.call(message, "probeRequest")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.ProbeRequest.verify(message.probeRequest, _depth + 1);
                        if (error)
                            return "probeRequest." + error;
                    }
                }
                if (message.serverStatus != null && $Object.hasOwnProperty.call(message, "serverStatus")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.fedfuse.v1.ServerStatus.verify(message.serverStatus, _depth + 1);
                        if (error)
                            return "serverStatus." + error;
                    }
                }
                return null;
            };

            /**
             * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Envelope} Envelope
             */
            Envelope.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Envelope)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Envelope: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Envelope();
                if (object.protocolVersion != null)
                    if ($Number(object.protocolVersion) !== 0)
                        message.protocolVersion = object.protocolVersion >>> 0;
                if (object.join != null) {
                    if (!$util.isObject(object.join))
                        throw $TypeError(".fedfuse.v1.Envelope.join: object expected");
                    message.join = $root.fedfuse.v1.Join.fromObject(object.join, _depth + 1);
                }
                if (object.welcome != null) {
                    if (!$util.isObject(object.welcome))
                        throw $TypeError(".fedfuse.v1.Envelope.welcome: object expected");
                    message.welcome = $root.fedfuse.v1.Welcome.fromObject(object.welcome, _depth + 1);
                }
                if (object.trainTask != null) {
                    if (!$util.isObject(object.trainTask))
                        throw $TypeError(".fedfuse.v1.Envelope.trainTask: object expected");
                    message.trainTask = $root.fedfuse.v1.TrainTask.fromObject(object.trainTask, _depth + 1);
                }
                if (object.clientUpdate != null) {
                    if (!$util.isObject(object.clientUpdate))
                        throw $TypeError(".fedfuse.v1.Envelope.clientUpdate: object expected");
                    message.clientUpdate = $root.fedfuse.v1.ClientUpdate.fromObject(object.clientUpdate, _depth + 1);
                }
                if (object.updateAck != null) {
                    if (!$util.isObject(object.updateAck))
                        throw $TypeError(".fedfuse.v1.Envelope.updateAck: object expected");
                    message.updateAck = $root.fedfuse.v1.UpdateAck.fromObject(object.updateAck, _depth + 1);
                }
                if (object.roundResult != null) {
                    if (!$util.isObject(object.roundResult))
                        throw $TypeError(".fedfuse.v1.Envelope.roundResult: object expected");
                    message.roundResult = $root.fedfuse.v1.RoundResult.fromObject(object.roundResult, _depth + 1);
                }
                if (object.error != null) {
                    if (!$util.isObject(object.error))
                        throw $TypeError(".fedfuse.v1.Envelope.error: object expected");
                    message.error = $root.fedfuse.v1.Error.fromObject(object.error, _depth + 1);
                }
                if (object.heartbeat != null) {
                    if (!$util.isObject(object.heartbeat))
                        throw $TypeError(".fedfuse.v1.Envelope.heartbeat: object expected");
                    message.heartbeat = $root.fedfuse.v1.Heartbeat.fromObject(object.heartbeat, _depth + 1);
                }
                if (object.probeRequest != null) {
                    if (!$util.isObject(object.probeRequest))
                        throw $TypeError(".fedfuse.v1.Envelope.probeRequest: object expected");
                    message.probeRequest = $root.fedfuse.v1.ProbeRequest.fromObject(object.probeRequest, _depth + 1);
                }
                if (object.serverStatus != null) {
                    if (!$util.isObject(object.serverStatus))
                        throw $TypeError(".fedfuse.v1.Envelope.serverStatus: object expected");
                    message.serverStatus = $root.fedfuse.v1.ServerStatus.fromObject(object.serverStatus, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from an Envelope message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.Envelope} message Envelope
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Envelope.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.protocolVersion = 0;
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    object.protocolVersion = message.protocolVersion;
                if (message.join != null && $Object.hasOwnProperty.call(message, "join")) {
                    object.join = $root.fedfuse.v1.Join.toObject(message.join, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "join";
                }
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                    object.welcome = $root.fedfuse.v1.Welcome.toObject(message.welcome, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "welcome";
                }
                if (message.trainTask != null && $Object.hasOwnProperty.call(message, "trainTask")) {
                    object.trainTask = $root.fedfuse.v1.TrainTask.toObject(message.trainTask, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "trainTask";
                }
                if (message.clientUpdate != null && $Object.hasOwnProperty.call(message, "clientUpdate")) {
                    object.clientUpdate = $root.fedfuse.v1.ClientUpdate.toObject(message.clientUpdate, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "clientUpdate";
                }
                if (message.updateAck != null && $Object.hasOwnProperty.call(message, "updateAck")) {
                    object.updateAck = $root.fedfuse.v1.UpdateAck.toObject(message.updateAck, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "updateAck";
                }
                if (message.roundResult != null && $Object.hasOwnProperty.call(message, "roundResult")) {
                    object.roundResult = $root.fedfuse.v1.RoundResult.toObject(message.roundResult, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "roundResult";
                }
                if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                    object.error = $root.fedfuse.v1.Error.toObject(message.error, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "error";
                }
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat")) {
                    object.heartbeat = $root.fedfuse.v1.Heartbeat.toObject(message.heartbeat, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "heartbeat";
                }
                if (message.probeRequest != null && $Object.hasOwnProperty.call(message, "probeRequest")) {
                    object.probeRequest = $root.fedfuse.v1.ProbeRequest.toObject(message.probeRequest, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "probeRequest";
                }
                if (message.serverStatus != null && $Object.hasOwnProperty.call(message, "serverStatus")) {
                    object.serverStatus = $root.fedfuse.v1.ServerStatus.toObject(message.serverStatus, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "serverStatus";
                }
                return object;
            };

            /**
             * Converts this Envelope to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Envelope
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Envelope.prototype.toJSON = function() {
                return Envelope.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Envelope
             * @function getTypeUrl
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Envelope.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Envelope";
            };

            return Envelope;
        })();

        v1.Chunk = (function() {

            /**
             * Properties of a Chunk.
             * @typedef {Object} fedfuse.v1.Chunk.$Properties
             * @property {number|null} [transferId] Chunk transferId
             * @property {number|null} [index] Chunk index
             * @property {number|null} [count] Chunk count
             * @property {number|null} [totalBytes] Chunk totalBytes
             * @property {Uint8Array|null} [data] Chunk data
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Chunk.
             * @memberof fedfuse.v1
             * @interface IChunk
             * @augments fedfuse.v1.Chunk.$Properties
             * @deprecated Use fedfuse.v1.Chunk.$Properties instead.
             */

            /**
             * Shape of a Chunk.
             * @typedef {fedfuse.v1.Chunk.$Properties} fedfuse.v1.Chunk.$Shape
             */

            /**
             * Constructs a new Chunk.
             * @memberof fedfuse.v1
             * @classdesc Represents a Chunk.
             * @constructor
             * @param {fedfuse.v1.Chunk.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Chunk = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Chunk transferId.
             * @member {number} transferId
             * @memberof fedfuse.v1.Chunk
             * @instance
             */
            Chunk.prototype.transferId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Chunk index.
             * @member {number} index
             * @memberof fedfuse.v1.Chunk
             * @instance
             */
            Chunk.prototype.index = 0;

            /**
             * Chunk count.
             * @member {number} count
             * @memberof fedfuse.v1.Chunk
             * @instance
             */
            Chunk.prototype.count = 0;

            /**
             * Chunk totalBytes.
             * @member {number} totalBytes
             * @memberof fedfuse.v1.Chunk
             * @instance
             */
            Chunk.prototype.totalBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Chunk data.
             * @member {Uint8Array} data
             * @memberof fedfuse.v1.Chunk
             * @instance
             */
            Chunk.prototype.data = $util.newBuffer([]);

            /**
             * Creates a new Chunk instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {fedfuse.v1.Chunk.$Properties=} [properties] Properties to set
             * @returns {fedfuse.v1.Chunk} Chunk instance
             * @type {{
             *   (properties: fedfuse.v1.Chunk.$Shape): fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape;
             *   (properties?: fedfuse.v1.Chunk.$Properties): fedfuse.v1.Chunk;
             * }}
             */
            Chunk.create = function(properties) {
                return new Chunk(properties);
            };

            /**
             * Encodes the specified Chunk message. Does not implicitly {@link fedfuse.v1.Chunk.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {fedfuse.v1.Chunk.$Properties} message Chunk message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Chunk.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.transferId != null && $Object.hasOwnProperty.call(message, "transferId") && (typeof message.transferId === "object" ? message.transferId.low || message.transferId.high : message.transferId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.transferId);
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && message.index !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.index);
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && message.count !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.count);
                if (message.totalBytes != null && $Object.hasOwnProperty.call(message, "totalBytes") && (typeof message.totalBytes === "object" ? message.totalBytes.low || message.totalBytes.high : message.totalBytes !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.totalBytes);
                if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.data);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Chunk message, length delimited. Does not implicitly {@link fedfuse.v1.Chunk.verify|verify} messages.
             * @function encodeDelimited
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {fedfuse.v1.Chunk.$Properties} message Chunk message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Chunk.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Chunk message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape} Chunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Chunk.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedfuse.v1.Chunk();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.transferId = value;
                            else
                                delete message.transferId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.totalBytes = value;
                            else
                                delete message.totalBytes;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.data = value;
                            else
                                delete message.data;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Chunk message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape} Chunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Chunk.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Chunk message.
             * @function verify
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Chunk.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.transferId != null && $Object.hasOwnProperty.call(message, "transferId"))
                    if (!$util.isInteger(message.transferId) && !(message.transferId && $util.isInteger(message.transferId.low) && $util.isInteger(message.transferId.high)))
                        return "transferId: integer|Long expected";
                if (message.index != null && $Object.hasOwnProperty.call(message, "index"))
                    if (!$util.isInteger(message.index))
                        return "index: integer expected";
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    if (!$util.isInteger(message.count))
                        return "count: integer expected";
                if (message.totalBytes != null && $Object.hasOwnProperty.call(message, "totalBytes"))
                    if (!$util.isInteger(message.totalBytes) && !(message.totalBytes && $util.isInteger(message.totalBytes.low) && $util.isInteger(message.totalBytes.high)))
                        return "totalBytes: integer|Long expected";
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    if (!(message.data && typeof message.data.length === "number" || $util.isString(message.data)))
                        return "data: buffer expected";
                return null;
            };

            /**
             * Creates a Chunk message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fedfuse.v1.Chunk} Chunk
             */
            Chunk.fromObject = function (object, _depth) {
                if (object instanceof $root.fedfuse.v1.Chunk)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fedfuse.v1.Chunk: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fedfuse.v1.Chunk();
                if (object.transferId != null)
                    if (typeof object.transferId === "object" ? object.transferId.low || object.transferId.high : $Number(object.transferId) !== 0)
                        if ($util.Long)
                            message.transferId = $util.Long.fromValue(object.transferId, true);
                        else if (typeof object.transferId === "string")
                            message.transferId = $parseInt(object.transferId, 10);
                        else if (typeof object.transferId === "number")
                            message.transferId = object.transferId;
                        else if (typeof object.transferId === "object")
                            message.transferId = new $util.LongBits(object.transferId.low >>> 0, object.transferId.high >>> 0).toNumber(true);
                if (object.index != null)
                    if ($Number(object.index) !== 0)
                        message.index = object.index >>> 0;
                if (object.count != null)
                    if ($Number(object.count) !== 0)
                        message.count = object.count >>> 0;
                if (object.totalBytes != null)
                    if (typeof object.totalBytes === "object" ? object.totalBytes.low || object.totalBytes.high : $Number(object.totalBytes) !== 0)
                        if ($util.Long)
                            message.totalBytes = $util.Long.fromValue(object.totalBytes, true);
                        else if (typeof object.totalBytes === "string")
                            message.totalBytes = $parseInt(object.totalBytes, 10);
                        else if (typeof object.totalBytes === "number")
                            message.totalBytes = object.totalBytes;
                        else if (typeof object.totalBytes === "object")
                            message.totalBytes = new $util.LongBits(object.totalBytes.low >>> 0, object.totalBytes.high >>> 0).toNumber(true);
                if (object.data != null)
                    if (object.data.length)
                        if (typeof object.data === "string")
                            $util.base64.decode(object.data, message.data = $util.newBuffer($util.base64.length(object.data)), 0);
                        else if (object.data.length >= 0)
                            message.data = object.data;
                return message;
            };

            /**
             * Creates a plain object from a Chunk message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {fedfuse.v1.Chunk} message Chunk
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Chunk.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.transferId = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.transferId = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.index = 0;
                    object.count = 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.totalBytes = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.totalBytes = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if (options.bytes === $String)
                        object.data = "";
                    else {
                        object.data = [];
                        if (options.bytes !== $Array)
                            object.data = $util.newBuffer(object.data);
                    }
                }
                if (message.transferId != null && $Object.hasOwnProperty.call(message, "transferId"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.transferId = typeof message.transferId === "number" ? $BigInt(message.transferId) : $util.Long.fromBits(message.transferId.low >>> 0, message.transferId.high >>> 0, true).toBigInt();
                    else if (typeof message.transferId === "number")
                        object.transferId = options.longs === $String ? $String(message.transferId) : message.transferId;
                    else
                        object.transferId = options.longs === $String ? $util.Long.prototype.toString.call(message.transferId) : options.longs === $Number ? new $util.LongBits(message.transferId.low >>> 0, message.transferId.high >>> 0).toNumber(true) : message.transferId;
                if (message.index != null && $Object.hasOwnProperty.call(message, "index"))
                    object.index = message.index;
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    object.count = message.count;
                if (message.totalBytes != null && $Object.hasOwnProperty.call(message, "totalBytes"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.totalBytes = typeof message.totalBytes === "number" ? $BigInt(message.totalBytes) : $util.Long.fromBits(message.totalBytes.low >>> 0, message.totalBytes.high >>> 0, true).toBigInt();
                    else if (typeof message.totalBytes === "number")
                        object.totalBytes = options.longs === $String ? $String(message.totalBytes) : message.totalBytes;
                    else
                        object.totalBytes = options.longs === $String ? $util.Long.prototype.toString.call(message.totalBytes) : options.longs === $Number ? new $util.LongBits(message.totalBytes.low >>> 0, message.totalBytes.high >>> 0).toNumber(true) : message.totalBytes;
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    object.data = options.bytes === $String ? $util.base64.encode(message.data, 0, message.data.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.data) : message.data;
                return object;
            };

            /**
             * Converts this Chunk to JSON.
             * @function toJSON
             * @memberof fedfuse.v1.Chunk
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Chunk.prototype.toJSON = function() {
                return Chunk.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Chunk
             * @function getTypeUrl
             * @memberof fedfuse.v1.Chunk
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Chunk.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedfuse.v1.Chunk";
            };

            return Chunk;
        })();

        return v1;
    })();

    return fedfuse;
})();

export {
  $root as default
};
