import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace fedfuse. */
export namespace fedfuse {

    /** Namespace v1. */
    namespace v1 {

        /** DType enum. */
        enum DType {

            /** FLOAT32 value */
            FLOAT32 = 0,

            /** FLOAT16 value */
            FLOAT16 = 1,

            /** INT32 value */
            INT32 = 2
        }

        /**
         * Properties of a Tensor.
         * @deprecated Use fedfuse.v1.Tensor.$Properties instead.
         */
        interface ITensor extends fedfuse.v1.Tensor.$Properties {
        }

        /** Represents a Tensor. */
        class Tensor {

            /**
             * Constructs a new Tensor.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Tensor.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Tensor name. */
            name: string;

            /** Tensor shape. */
            shape: number[];

            /** Tensor dtype. */
            dtype: fedfuse.v1.DType;

            /** Tensor data. */
            data: Uint8Array;

            /**
             * Creates a new Tensor instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Tensor instance
             */
            static create(properties: fedfuse.v1.Tensor.$Shape): fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape;
            static create(properties?: fedfuse.v1.Tensor.$Properties): fedfuse.v1.Tensor;

            /**
             * Encodes the specified Tensor message. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @param message Tensor message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Tensor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Tensor message, length delimited. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @param message Tensor message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Tensor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Tensor message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape} Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape;

            /**
             * Decodes a Tensor message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape} Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Tensor & fedfuse.v1.Tensor.$Shape;

            /**
             * Verifies a Tensor message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Tensor message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Tensor
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Tensor;

            /**
             * Creates a plain object from a Tensor message. Also converts values to other types if specified.
             * @param message Tensor
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Tensor, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Tensor to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Tensor
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Tensor {

            /** Properties of a Tensor. */
            interface $Properties {

                /** Tensor name */
                name?: (string|null);

                /** Tensor shape */
                shape?: (number[]|null);

                /** Tensor dtype */
                dtype?: (fedfuse.v1.DType|null);

                /** Tensor data */
                data?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Tensor. */
            type $Shape = fedfuse.v1.Tensor.$Properties;
        }

        /**
         * Properties of a ModelPayload.
         * @deprecated Use fedfuse.v1.ModelPayload.$Properties instead.
         */
        interface IModelPayload extends fedfuse.v1.ModelPayload.$Properties {
        }

        /** Represents a ModelPayload. */
        class ModelPayload {

            /**
             * Constructs a new ModelPayload.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ModelPayload.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ModelPayload topologyJson. */
            topologyJson: string;

            /** ModelPayload weights. */
            weights: fedfuse.v1.Tensor.$Properties[];

            /**
             * Creates a new ModelPayload instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ModelPayload instance
             */
            static create(properties: fedfuse.v1.ModelPayload.$Shape): fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape;
            static create(properties?: fedfuse.v1.ModelPayload.$Properties): fedfuse.v1.ModelPayload;

            /**
             * Encodes the specified ModelPayload message. Does not implicitly {@link fedfuse.v1.ModelPayload.verify|verify} messages.
             * @param message ModelPayload message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.ModelPayload.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ModelPayload message, length delimited. Does not implicitly {@link fedfuse.v1.ModelPayload.verify|verify} messages.
             * @param message ModelPayload message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.ModelPayload.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ModelPayload message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape} ModelPayload
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape;

            /**
             * Decodes a ModelPayload message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape} ModelPayload
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.ModelPayload & fedfuse.v1.ModelPayload.$Shape;

            /**
             * Verifies a ModelPayload message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ModelPayload message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ModelPayload
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.ModelPayload;

            /**
             * Creates a plain object from a ModelPayload message. Also converts values to other types if specified.
             * @param message ModelPayload
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.ModelPayload, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ModelPayload to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ModelPayload
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ModelPayload {

            /** Properties of a ModelPayload. */
            interface $Properties {

                /** ModelPayload topologyJson */
                topologyJson?: (string|null);

                /** ModelPayload weights */
                weights?: (fedfuse.v1.Tensor.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ModelPayload. */
            type $Shape = fedfuse.v1.ModelPayload.$Properties;
        }

        /**
         * Properties of a Join.
         * @deprecated Use fedfuse.v1.Join.$Properties instead.
         */
        interface IJoin extends fedfuse.v1.Join.$Properties {
        }

        /** Represents a Join. */
        class Join {

            /**
             * Constructs a new Join.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Join.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Join protocolVersion. */
            protocolVersion: number;

            /** Join clientId. */
            clientId: string;

            /** Join authToken. */
            authToken: string;

            /** Join numSamples. */
            numSamples: number;

            /** Join labelHistogram. */
            labelHistogram: number[];

            /** Join tier. */
            tier: string;

            /** Join maxParameters. */
            maxParameters: number;

            /**
             * Creates a new Join instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Join instance
             */
            static create(properties: fedfuse.v1.Join.$Shape): fedfuse.v1.Join & fedfuse.v1.Join.$Shape;
            static create(properties?: fedfuse.v1.Join.$Properties): fedfuse.v1.Join;

            /**
             * Encodes the specified Join message. Does not implicitly {@link fedfuse.v1.Join.verify|verify} messages.
             * @param message Join message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Join.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Join message, length delimited. Does not implicitly {@link fedfuse.v1.Join.verify|verify} messages.
             * @param message Join message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Join.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Join message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Join & fedfuse.v1.Join.$Shape} Join
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Join & fedfuse.v1.Join.$Shape;

            /**
             * Decodes a Join message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Join & fedfuse.v1.Join.$Shape} Join
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Join & fedfuse.v1.Join.$Shape;

            /**
             * Verifies a Join message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Join message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Join
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Join;

            /**
             * Creates a plain object from a Join message. Also converts values to other types if specified.
             * @param message Join
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Join, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Join to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Join
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Join {

            /** Properties of a Join. */
            interface $Properties {

                /** Join protocolVersion */
                protocolVersion?: (number|null);

                /** Join clientId */
                clientId?: (string|null);

                /** Join authToken */
                authToken?: (string|null);

                /** Join numSamples */
                numSamples?: (number|null);

                /** Join labelHistogram */
                labelHistogram?: (number[]|null);

                /** Join tier */
                tier?: (string|null);

                /** Join maxParameters */
                maxParameters?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Join. */
            type $Shape = fedfuse.v1.Join.$Properties;
        }

        /**
         * Properties of a Welcome.
         * @deprecated Use fedfuse.v1.Welcome.$Properties instead.
         */
        interface IWelcome extends fedfuse.v1.Welcome.$Properties {
        }

        /** Represents a Welcome. */
        class Welcome {

            /**
             * Constructs a new Welcome.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Welcome.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Welcome protocolVersion. */
            protocolVersion: number;

            /** Welcome clientId. */
            clientId: string;

            /** Welcome currentRound. */
            currentRound: number;

            /** Welcome totalRounds. */
            totalRounds: number;

            /** Welcome tier. */
            tier: string;

            /** Welcome tierParameters. */
            tierParameters: number;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Welcome instance
             */
            static create(properties: fedfuse.v1.Welcome.$Shape): fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape;
            static create(properties?: fedfuse.v1.Welcome.$Properties): fedfuse.v1.Welcome;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Welcome message, length delimited. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape;

            /**
             * Decodes a Welcome message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Welcome & fedfuse.v1.Welcome.$Shape;

            /**
             * Verifies a Welcome message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Welcome
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Welcome;

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @param message Welcome
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Welcome to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Welcome
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Welcome {

            /** Properties of a Welcome. */
            interface $Properties {

                /** Welcome protocolVersion */
                protocolVersion?: (number|null);

                /** Welcome clientId */
                clientId?: (string|null);

                /** Welcome currentRound */
                currentRound?: (number|null);

                /** Welcome totalRounds */
                totalRounds?: (number|null);

                /** Welcome tier */
                tier?: (string|null);

                /** Welcome tierParameters */
                tierParameters?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Welcome. */
            type $Shape = fedfuse.v1.Welcome.$Properties;
        }

        /**
         * Properties of a TrainingConfig.
         * @deprecated Use fedfuse.v1.TrainingConfig.$Properties instead.
         */
        interface ITrainingConfig extends fedfuse.v1.TrainingConfig.$Properties {
        }

        /** Represents a TrainingConfig. */
        class TrainingConfig {

            /**
             * Constructs a new TrainingConfig.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.TrainingConfig.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** TrainingConfig localEpochs. */
            localEpochs: number;

            /** TrainingConfig batchSize. */
            batchSize: number;

            /** TrainingConfig learningRate. */
            learningRate: number;

            /** TrainingConfig optimizer. */
            optimizer: string;

            /** TrainingConfig proximalMu. */
            proximalMu: number;

            /** TrainingConfig sendActivations. */
            sendActivations: boolean;

            /** TrainingConfig importanceMethod. */
            importanceMethod: string;

            /** TrainingConfig seed. */
            seed: number;

            /** TrainingConfig halfPrecision. */
            halfPrecision: boolean;

            /**
             * Creates a new TrainingConfig instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TrainingConfig instance
             */
            static create(properties: fedfuse.v1.TrainingConfig.$Shape): fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape;
            static create(properties?: fedfuse.v1.TrainingConfig.$Properties): fedfuse.v1.TrainingConfig;

            /**
             * Encodes the specified TrainingConfig message. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @param message TrainingConfig message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.TrainingConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified TrainingConfig message, length delimited. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @param message TrainingConfig message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.TrainingConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape} TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape;

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape} TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.TrainingConfig & fedfuse.v1.TrainingConfig.$Shape;

            /**
             * Verifies a TrainingConfig message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a TrainingConfig message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns TrainingConfig
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.TrainingConfig;

            /**
             * Creates a plain object from a TrainingConfig message. Also converts values to other types if specified.
             * @param message TrainingConfig
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.TrainingConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this TrainingConfig to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for TrainingConfig
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace TrainingConfig {

            /** Properties of a TrainingConfig. */
            interface $Properties {

                /** TrainingConfig localEpochs */
                localEpochs?: (number|null);

                /** TrainingConfig batchSize */
                batchSize?: (number|null);

                /** TrainingConfig learningRate */
                learningRate?: (number|null);

                /** TrainingConfig optimizer */
                optimizer?: (string|null);

                /** TrainingConfig proximalMu */
                proximalMu?: (number|null);

                /** TrainingConfig sendActivations */
                sendActivations?: (boolean|null);

                /** TrainingConfig importanceMethod */
                importanceMethod?: (string|null);

                /** TrainingConfig seed */
                seed?: (number|null);

                /** TrainingConfig halfPrecision */
                halfPrecision?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a TrainingConfig. */
            type $Shape = fedfuse.v1.TrainingConfig.$Properties;
        }

        /**
         * Properties of a TrainTask.
         * @deprecated Use fedfuse.v1.TrainTask.$Properties instead.
         */
        interface ITrainTask extends fedfuse.v1.TrainTask.$Properties {
        }

        /** Represents a TrainTask. */
        class TrainTask {

            /**
             * Constructs a new TrainTask.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.TrainTask.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** TrainTask round. */
            round: number;

            /** TrainTask globalModel. */
            globalModel?: (fedfuse.v1.ModelPayload.$Properties|null);

            /** TrainTask config. */
            config?: (fedfuse.v1.TrainingConfig.$Properties|null);

            /** TrainTask probeInputs. */
            probeInputs?: (fedfuse.v1.Tensor.$Properties|null);

            /** TrainTask probeLabels. */
            probeLabels?: (fedfuse.v1.Tensor.$Properties|null);

            /** TrainTask deadlineUnixMs. */
            deadlineUnixMs: number;

            /** TrainTask probeSha256. */
            probeSha256: string;

            /**
             * Creates a new TrainTask instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TrainTask instance
             */
            static create(properties: fedfuse.v1.TrainTask.$Shape): fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape;
            static create(properties?: fedfuse.v1.TrainTask.$Properties): fedfuse.v1.TrainTask;

            /**
             * Encodes the specified TrainTask message. Does not implicitly {@link fedfuse.v1.TrainTask.verify|verify} messages.
             * @param message TrainTask message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.TrainTask.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified TrainTask message, length delimited. Does not implicitly {@link fedfuse.v1.TrainTask.verify|verify} messages.
             * @param message TrainTask message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.TrainTask.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TrainTask message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape} TrainTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape;

            /**
             * Decodes a TrainTask message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape} TrainTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.TrainTask & fedfuse.v1.TrainTask.$Shape;

            /**
             * Verifies a TrainTask message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a TrainTask message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns TrainTask
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.TrainTask;

            /**
             * Creates a plain object from a TrainTask message. Also converts values to other types if specified.
             * @param message TrainTask
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.TrainTask, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this TrainTask to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for TrainTask
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace TrainTask {

            /** Properties of a TrainTask. */
            interface $Properties {

                /** TrainTask round */
                round?: (number|null);

                /** TrainTask globalModel */
                globalModel?: (fedfuse.v1.ModelPayload.$Properties|null);

                /** TrainTask config */
                config?: (fedfuse.v1.TrainingConfig.$Properties|null);

                /** TrainTask probeInputs */
                probeInputs?: (fedfuse.v1.Tensor.$Properties|null);

                /** TrainTask probeLabels */
                probeLabels?: (fedfuse.v1.Tensor.$Properties|null);

                /** TrainTask deadlineUnixMs */
                deadlineUnixMs?: (number|null);

                /** TrainTask probeSha256 */
                probeSha256?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a TrainTask. */
            type $Shape = fedfuse.v1.TrainTask.$Properties;
        }

        /**
         * Properties of a ProbeRequest.
         * @deprecated Use fedfuse.v1.ProbeRequest.$Properties instead.
         */
        interface IProbeRequest extends fedfuse.v1.ProbeRequest.$Properties {
        }

        /** Represents a ProbeRequest. */
        class ProbeRequest {

            /**
             * Constructs a new ProbeRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ProbeRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ProbeRequest round. */
            round: number;

            /** ProbeRequest probeSha256. */
            probeSha256: string;

            /**
             * Creates a new ProbeRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ProbeRequest instance
             */
            static create(properties: fedfuse.v1.ProbeRequest.$Shape): fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape;
            static create(properties?: fedfuse.v1.ProbeRequest.$Properties): fedfuse.v1.ProbeRequest;

            /**
             * Encodes the specified ProbeRequest message. Does not implicitly {@link fedfuse.v1.ProbeRequest.verify|verify} messages.
             * @param message ProbeRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.ProbeRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ProbeRequest message, length delimited. Does not implicitly {@link fedfuse.v1.ProbeRequest.verify|verify} messages.
             * @param message ProbeRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.ProbeRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ProbeRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape} ProbeRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape;

            /**
             * Decodes a ProbeRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape} ProbeRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.ProbeRequest & fedfuse.v1.ProbeRequest.$Shape;

            /**
             * Verifies a ProbeRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ProbeRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ProbeRequest
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.ProbeRequest;

            /**
             * Creates a plain object from a ProbeRequest message. Also converts values to other types if specified.
             * @param message ProbeRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.ProbeRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ProbeRequest to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ProbeRequest
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ProbeRequest {

            /** Properties of a ProbeRequest. */
            interface $Properties {

                /** ProbeRequest round */
                round?: (number|null);

                /** ProbeRequest probeSha256 */
                probeSha256?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ProbeRequest. */
            type $Shape = fedfuse.v1.ProbeRequest.$Properties;
        }

        /**
         * Properties of a ClientUpdate.
         * @deprecated Use fedfuse.v1.ClientUpdate.$Properties instead.
         */
        interface IClientUpdate extends fedfuse.v1.ClientUpdate.$Properties {
        }

        /** Represents a ClientUpdate. */
        class ClientUpdate {

            /**
             * Constructs a new ClientUpdate.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ClientUpdate.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ClientUpdate round. */
            round: number;

            /** ClientUpdate clientId. */
            clientId: string;

            /** ClientUpdate weights. */
            weights: fedfuse.v1.Tensor.$Properties[];

            /** ClientUpdate numExamples. */
            numExamples: number;

            /** ClientUpdate activations. */
            activations: fedfuse.v1.Tensor.$Properties[];

            /** ClientUpdate importance. */
            importance: fedfuse.v1.Tensor.$Properties[];

            /** ClientUpdate metrics. */
            metrics: { [k: string]: number };

            /**
             * Creates a new ClientUpdate instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClientUpdate instance
             */
            static create(properties: fedfuse.v1.ClientUpdate.$Shape): fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape;
            static create(properties?: fedfuse.v1.ClientUpdate.$Properties): fedfuse.v1.ClientUpdate;

            /**
             * Encodes the specified ClientUpdate message. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @param message ClientUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.ClientUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ClientUpdate message, length delimited. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @param message ClientUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.ClientUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape} ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape;

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape} ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.ClientUpdate & fedfuse.v1.ClientUpdate.$Shape;

            /**
             * Verifies a ClientUpdate message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ClientUpdate message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ClientUpdate
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.ClientUpdate;

            /**
             * Creates a plain object from a ClientUpdate message. Also converts values to other types if specified.
             * @param message ClientUpdate
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.ClientUpdate, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ClientUpdate to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ClientUpdate
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ClientUpdate {

            /** Properties of a ClientUpdate. */
            interface $Properties {

                /** ClientUpdate round */
                round?: (number|null);

                /** ClientUpdate clientId */
                clientId?: (string|null);

                /** ClientUpdate weights */
                weights?: (fedfuse.v1.Tensor.$Properties[]|null);

                /** ClientUpdate numExamples */
                numExamples?: (number|null);

                /** ClientUpdate activations */
                activations?: (fedfuse.v1.Tensor.$Properties[]|null);

                /** ClientUpdate importance */
                importance?: (fedfuse.v1.Tensor.$Properties[]|null);

                /** ClientUpdate metrics */
                metrics?: ({ [k: string]: number }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ClientUpdate. */
            type $Shape = fedfuse.v1.ClientUpdate.$Properties;
        }

        /**
         * Properties of an UpdateAck.
         * @deprecated Use fedfuse.v1.UpdateAck.$Properties instead.
         */
        interface IUpdateAck extends fedfuse.v1.UpdateAck.$Properties {
        }

        /** Represents an UpdateAck. */
        class UpdateAck {

            /**
             * Constructs a new UpdateAck.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.UpdateAck.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** UpdateAck round. */
            round: number;

            /**
             * Creates a new UpdateAck instance using the specified properties.
             * @param [properties] Properties to set
             * @returns UpdateAck instance
             */
            static create(properties: fedfuse.v1.UpdateAck.$Shape): fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape;
            static create(properties?: fedfuse.v1.UpdateAck.$Properties): fedfuse.v1.UpdateAck;

            /**
             * Encodes the specified UpdateAck message. Does not implicitly {@link fedfuse.v1.UpdateAck.verify|verify} messages.
             * @param message UpdateAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.UpdateAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified UpdateAck message, length delimited. Does not implicitly {@link fedfuse.v1.UpdateAck.verify|verify} messages.
             * @param message UpdateAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.UpdateAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an UpdateAck message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape} UpdateAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape;

            /**
             * Decodes an UpdateAck message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape} UpdateAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.UpdateAck & fedfuse.v1.UpdateAck.$Shape;

            /**
             * Verifies an UpdateAck message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an UpdateAck message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns UpdateAck
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.UpdateAck;

            /**
             * Creates a plain object from an UpdateAck message. Also converts values to other types if specified.
             * @param message UpdateAck
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.UpdateAck, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this UpdateAck to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for UpdateAck
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace UpdateAck {

            /** Properties of an UpdateAck. */
            interface $Properties {

                /** UpdateAck round */
                round?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an UpdateAck. */
            type $Shape = fedfuse.v1.UpdateAck.$Properties;
        }

        /**
         * Properties of a RoundResult.
         * @deprecated Use fedfuse.v1.RoundResult.$Properties instead.
         */
        interface IRoundResult extends fedfuse.v1.RoundResult.$Properties {
        }

        /** Represents a RoundResult. */
        class RoundResult {

            /**
             * Constructs a new RoundResult.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.RoundResult.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RoundResult round. */
            round: number;

            /** RoundResult globalModel. */
            globalModel?: (fedfuse.v1.ModelPayload.$Properties|null);

            /** RoundResult metrics. */
            metrics: { [k: string]: number };

            /** RoundResult participants. */
            participants: string[];

            /** RoundResult final. */
            final: boolean;

            /**
             * Creates a new RoundResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RoundResult instance
             */
            static create(properties: fedfuse.v1.RoundResult.$Shape): fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape;
            static create(properties?: fedfuse.v1.RoundResult.$Properties): fedfuse.v1.RoundResult;

            /**
             * Encodes the specified RoundResult message. Does not implicitly {@link fedfuse.v1.RoundResult.verify|verify} messages.
             * @param message RoundResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.RoundResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified RoundResult message, length delimited. Does not implicitly {@link fedfuse.v1.RoundResult.verify|verify} messages.
             * @param message RoundResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.RoundResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RoundResult message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape} RoundResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape;

            /**
             * Decodes a RoundResult message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape} RoundResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.RoundResult & fedfuse.v1.RoundResult.$Shape;

            /**
             * Verifies a RoundResult message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a RoundResult message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns RoundResult
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.RoundResult;

            /**
             * Creates a plain object from a RoundResult message. Also converts values to other types if specified.
             * @param message RoundResult
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.RoundResult, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RoundResult to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for RoundResult
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RoundResult {

            /** Properties of a RoundResult. */
            interface $Properties {

                /** RoundResult round */
                round?: (number|null);

                /** RoundResult globalModel */
                globalModel?: (fedfuse.v1.ModelPayload.$Properties|null);

                /** RoundResult metrics */
                metrics?: ({ [k: string]: number }|null);

                /** RoundResult participants */
                participants?: (string[]|null);

                /** RoundResult final */
                final?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RoundResult. */
            type $Shape = fedfuse.v1.RoundResult.$Properties;
        }

        /** ErrorCode enum. */
        enum ErrorCode {

            /** UNKNOWN value */
            UNKNOWN = 0,

            /** BAD_MESSAGE value */
            BAD_MESSAGE = 1,

            /** UNAUTHORIZED value */
            UNAUTHORIZED = 2,

            /** PROTOCOL_VERSION value */
            PROTOCOL_VERSION = 3,

            /** WRONG_ROUND value */
            WRONG_ROUND = 4,

            /** BAD_TENSOR value */
            BAD_TENSOR = 5,

            /** TOO_LARGE value */
            TOO_LARGE = 6,

            /** UNKNOWN_CLIENT value */
            UNKNOWN_CLIENT = 7,

            /** REJECTED_UPDATE value */
            REJECTED_UPDATE = 8,

            /** RATE_LIMITED value */
            RATE_LIMITED = 9,

            /** SERVER_FULL value */
            SERVER_FULL = 10,

            /** CLIENT_FAILED value */
            CLIENT_FAILED = 11,

            /** NO_FITTING_TIER value */
            NO_FITTING_TIER = 12,

            /** UNAVAILABLE value */
            UNAVAILABLE = 13,

            /** BANNED value */
            BANNED = 14
        }

        /**
         * Properties of an Error.
         * @deprecated Use fedfuse.v1.Error.$Properties instead.
         */
        interface IError extends fedfuse.v1.Error.$Properties {
        }

        /** Represents an Error. */
        class Error {

            /**
             * Constructs a new Error.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Error.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Error code. */
            code: fedfuse.v1.ErrorCode;

            /** Error message. */
            message: string;

            /** Error round. */
            round: number;

            /** Error retryAfterMs. */
            retryAfterMs: number;

            /**
             * Creates a new Error instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Error instance
             */
            static create(properties: fedfuse.v1.Error.$Shape): fedfuse.v1.Error & fedfuse.v1.Error.$Shape;
            static create(properties?: fedfuse.v1.Error.$Properties): fedfuse.v1.Error;

            /**
             * Encodes the specified Error message. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @param message Error message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Error message, length delimited. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @param message Error message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Error & fedfuse.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Error & fedfuse.v1.Error.$Shape;

            /**
             * Decodes an Error message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Error & fedfuse.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Error & fedfuse.v1.Error.$Shape;

            /**
             * Verifies an Error message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Error message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Error
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Error;

            /**
             * Creates a plain object from an Error message. Also converts values to other types if specified.
             * @param message Error
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Error, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Error to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Error
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Error {

            /** Properties of an Error. */
            interface $Properties {

                /** Error code */
                code?: (fedfuse.v1.ErrorCode|null);

                /** Error message */
                message?: (string|null);

                /** Error round */
                round?: (number|null);

                /** Error retryAfterMs */
                retryAfterMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Error. */
            type $Shape = fedfuse.v1.Error.$Properties;
        }

        /** ServerState enum. */
        enum ServerState {

            /** SERVER_STATE_UNSPECIFIED value */
            SERVER_STATE_UNSPECIFIED = 0,

            /** WAITING_FOR_STORE value */
            WAITING_FOR_STORE = 1
        }

        /**
         * Properties of a ServerStatus.
         * @deprecated Use fedfuse.v1.ServerStatus.$Properties instead.
         */
        interface IServerStatus extends fedfuse.v1.ServerStatus.$Properties {
        }

        /** Represents a ServerStatus. */
        class ServerStatus {

            /**
             * Constructs a new ServerStatus.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ServerStatus.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ServerStatus state. */
            state: fedfuse.v1.ServerState;

            /** ServerStatus message. */
            message: string;

            /** ServerStatus round. */
            round: number;

            /**
             * Creates a new ServerStatus instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ServerStatus instance
             */
            static create(properties: fedfuse.v1.ServerStatus.$Shape): fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape;
            static create(properties?: fedfuse.v1.ServerStatus.$Properties): fedfuse.v1.ServerStatus;

            /**
             * Encodes the specified ServerStatus message. Does not implicitly {@link fedfuse.v1.ServerStatus.verify|verify} messages.
             * @param message ServerStatus message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.ServerStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ServerStatus message, length delimited. Does not implicitly {@link fedfuse.v1.ServerStatus.verify|verify} messages.
             * @param message ServerStatus message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.ServerStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ServerStatus message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape} ServerStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape;

            /**
             * Decodes a ServerStatus message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape} ServerStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.ServerStatus & fedfuse.v1.ServerStatus.$Shape;

            /**
             * Verifies a ServerStatus message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ServerStatus message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ServerStatus
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.ServerStatus;

            /**
             * Creates a plain object from a ServerStatus message. Also converts values to other types if specified.
             * @param message ServerStatus
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.ServerStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ServerStatus to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ServerStatus
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ServerStatus {

            /** Properties of a ServerStatus. */
            interface $Properties {

                /** ServerStatus state */
                state?: (fedfuse.v1.ServerState|null);

                /** ServerStatus message */
                message?: (string|null);

                /** ServerStatus round */
                round?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ServerStatus. */
            type $Shape = fedfuse.v1.ServerStatus.$Properties;
        }

        /**
         * Properties of a Heartbeat.
         * @deprecated Use fedfuse.v1.Heartbeat.$Properties instead.
         */
        interface IHeartbeat extends fedfuse.v1.Heartbeat.$Properties {
        }

        /** Represents a Heartbeat. */
        class Heartbeat {

            /**
             * Constructs a new Heartbeat.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Heartbeat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Heartbeat sentUnixMs. */
            sentUnixMs: number;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Heartbeat instance
             */
            static create(properties: fedfuse.v1.Heartbeat.$Shape): fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape;
            static create(properties?: fedfuse.v1.Heartbeat.$Properties): fedfuse.v1.Heartbeat;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link fedfuse.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Heartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Heartbeat message, length delimited. Does not implicitly {@link fedfuse.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Heartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Heartbeat & fedfuse.v1.Heartbeat.$Shape;

            /**
             * Verifies a Heartbeat message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Heartbeat message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Heartbeat
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Heartbeat;

            /**
             * Creates a plain object from a Heartbeat message. Also converts values to other types if specified.
             * @param message Heartbeat
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Heartbeat, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Heartbeat to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Heartbeat
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Heartbeat {

            /** Properties of a Heartbeat. */
            interface $Properties {

                /** Heartbeat sentUnixMs */
                sentUnixMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Heartbeat. */
            type $Shape = fedfuse.v1.Heartbeat.$Properties;
        }

        /**
         * Properties of an Envelope.
         * @deprecated Use fedfuse.v1.Envelope.$Properties instead.
         */
        interface IEnvelope extends fedfuse.v1.Envelope.$Properties {
        }

        /** Represents an Envelope. */
        class Envelope {

            /**
             * Constructs a new Envelope.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Envelope.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Envelope protocolVersion. */
            protocolVersion: number;

            /** Envelope join. */
            join?: (fedfuse.v1.Join.$Properties|null);

            /** Envelope welcome. */
            welcome?: (fedfuse.v1.Welcome.$Properties|null);

            /** Envelope trainTask. */
            trainTask?: (fedfuse.v1.TrainTask.$Properties|null);

            /** Envelope clientUpdate. */
            clientUpdate?: (fedfuse.v1.ClientUpdate.$Properties|null);

            /** Envelope updateAck. */
            updateAck?: (fedfuse.v1.UpdateAck.$Properties|null);

            /** Envelope roundResult. */
            roundResult?: (fedfuse.v1.RoundResult.$Properties|null);

            /** Envelope error. */
            error?: (fedfuse.v1.Error.$Properties|null);

            /** Envelope heartbeat. */
            heartbeat?: (fedfuse.v1.Heartbeat.$Properties|null);

            /** Envelope probeRequest. */
            probeRequest?: (fedfuse.v1.ProbeRequest.$Properties|null);

            /** Envelope serverStatus. */
            serverStatus?: (fedfuse.v1.ServerStatus.$Properties|null);

            /** Envelope body. */
            body?: ("join"|"welcome"|"trainTask"|"clientUpdate"|"updateAck"|"roundResult"|"error"|"heartbeat"|"probeRequest"|"serverStatus");

            /**
             * Creates a new Envelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Envelope instance
             */
            static create(properties: fedfuse.v1.Envelope.$Shape): fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape;
            static create(properties?: fedfuse.v1.Envelope.$Properties): fedfuse.v1.Envelope;

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Envelope message, length delimited. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape;

            /**
             * Decodes an Envelope message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Envelope & fedfuse.v1.Envelope.$Shape;

            /**
             * Verifies an Envelope message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Envelope
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Envelope;

            /**
             * Creates a plain object from an Envelope message. Also converts values to other types if specified.
             * @param message Envelope
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Envelope, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Envelope to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Envelope
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Envelope {

            /** Properties of an Envelope. */
            interface $Properties {

                /** Envelope protocolVersion */
                protocolVersion?: (number|null);

                /** Envelope join */
                join?: (fedfuse.v1.Join.$Properties|null);

                /** Envelope welcome */
                welcome?: (fedfuse.v1.Welcome.$Properties|null);

                /** Envelope trainTask */
                trainTask?: (fedfuse.v1.TrainTask.$Properties|null);

                /** Envelope clientUpdate */
                clientUpdate?: (fedfuse.v1.ClientUpdate.$Properties|null);

                /** Envelope updateAck */
                updateAck?: (fedfuse.v1.UpdateAck.$Properties|null);

                /** Envelope roundResult */
                roundResult?: (fedfuse.v1.RoundResult.$Properties|null);

                /** Envelope error */
                error?: (fedfuse.v1.Error.$Properties|null);

                /** Envelope heartbeat */
                heartbeat?: (fedfuse.v1.Heartbeat.$Properties|null);

                /** Envelope probeRequest */
                probeRequest?: (fedfuse.v1.ProbeRequest.$Properties|null);

                /** Envelope serverStatus */
                serverStatus?: (fedfuse.v1.ServerStatus.$Properties|null);

                /** Envelope body */
                body?: ("join"|"welcome"|"trainTask"|"clientUpdate"|"updateAck"|"roundResult"|"error"|"heartbeat"|"probeRequest"|"serverStatus");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of an Envelope. */
            type $Shape = {
              protocolVersion?: number|null;
              join?: fedfuse.v1.Join.$Shape|null;
              welcome?: fedfuse.v1.Welcome.$Shape|null;
              trainTask?: fedfuse.v1.TrainTask.$Shape|null;
              clientUpdate?: fedfuse.v1.ClientUpdate.$Shape|null;
              updateAck?: fedfuse.v1.UpdateAck.$Shape|null;
              roundResult?: fedfuse.v1.RoundResult.$Shape|null;
              error?: fedfuse.v1.Error.$Shape|null;
              heartbeat?: fedfuse.v1.Heartbeat.$Shape|null;
              probeRequest?: fedfuse.v1.ProbeRequest.$Shape|null;
              serverStatus?: fedfuse.v1.ServerStatus.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "join"; join: fedfuse.v1.Join.$Shape; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "welcome"; join?: null; welcome: fedfuse.v1.Welcome.$Shape; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "trainTask"; join?: null; welcome?: null; trainTask: fedfuse.v1.TrainTask.$Shape; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "clientUpdate"; join?: null; welcome?: null; trainTask?: null; clientUpdate: fedfuse.v1.ClientUpdate.$Shape; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "updateAck"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck: fedfuse.v1.UpdateAck.$Shape; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "roundResult"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult: fedfuse.v1.RoundResult.$Shape; error?: null; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "error"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error: fedfuse.v1.Error.$Shape; heartbeat?: null; probeRequest?: null; serverStatus?: null }|{ body?: "heartbeat"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat: fedfuse.v1.Heartbeat.$Shape; probeRequest?: null; serverStatus?: null }|{ body?: "probeRequest"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest: fedfuse.v1.ProbeRequest.$Shape; serverStatus?: null }|{ body?: "serverStatus"; join?: null; welcome?: null; trainTask?: null; clientUpdate?: null; updateAck?: null; roundResult?: null; error?: null; heartbeat?: null; probeRequest?: null; serverStatus: fedfuse.v1.ServerStatus.$Shape })
            );
        }

        /**
         * Properties of a Chunk.
         * @deprecated Use fedfuse.v1.Chunk.$Properties instead.
         */
        interface IChunk extends fedfuse.v1.Chunk.$Properties {
        }

        /** Represents a Chunk. */
        class Chunk {

            /**
             * Constructs a new Chunk.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.Chunk.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Chunk transferId. */
            transferId: number;

            /** Chunk index. */
            index: number;

            /** Chunk count. */
            count: number;

            /** Chunk totalBytes. */
            totalBytes: number;

            /** Chunk data. */
            data: Uint8Array;

            /**
             * Creates a new Chunk instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Chunk instance
             */
            static create(properties: fedfuse.v1.Chunk.$Shape): fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape;
            static create(properties?: fedfuse.v1.Chunk.$Properties): fedfuse.v1.Chunk;

            /**
             * Encodes the specified Chunk message. Does not implicitly {@link fedfuse.v1.Chunk.verify|verify} messages.
             * @param message Chunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedfuse.v1.Chunk.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Chunk message, length delimited. Does not implicitly {@link fedfuse.v1.Chunk.verify|verify} messages.
             * @param message Chunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: fedfuse.v1.Chunk.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Chunk message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape} Chunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape;

            /**
             * Decodes a Chunk message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape} Chunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): fedfuse.v1.Chunk & fedfuse.v1.Chunk.$Shape;

            /**
             * Verifies a Chunk message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Chunk message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Chunk
             */
            static fromObject(object: { [k: string]: any }): fedfuse.v1.Chunk;

            /**
             * Creates a plain object from a Chunk message. Also converts values to other types if specified.
             * @param message Chunk
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fedfuse.v1.Chunk, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Chunk to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Chunk
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Chunk {

            /** Properties of a Chunk. */
            interface $Properties {

                /** Chunk transferId */
                transferId?: (number|null);

                /** Chunk index */
                index?: (number|null);

                /** Chunk count */
                count?: (number|null);

                /** Chunk totalBytes */
                totalBytes?: (number|null);

                /** Chunk data */
                data?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Chunk. */
            type $Shape = fedfuse.v1.Chunk.$Properties;
        }
    }
}
