import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

/**
 * Loads XSDs into one schema the way Java broker programs do (the JDK's own
 * SchemaFactory), then validates XML documents against it.
 *
 * Usage: java SchemaCheck XSD-URL... [-- XML-FILE...]
 * Prints "OK" and exits 0, or prints the first error and exits 1.
 */
public final class SchemaCheck {
    public static void main(String[] args) throws Exception {
        List<Source> schemas = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        boolean inDocuments = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                inDocuments = true;
            } else if (inDocuments) {
                documents.add(arg);
            } else {
                schemas.add(new StreamSource(arg));
            }
        }
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema schema;
        try {
            schema = factory.newSchema(schemas.toArray(new Source[0]));
        } catch (org.xml.sax.SAXException e) {
            System.out.println("SCHEMA: " + e.getMessage());
            System.exit(1);
            return;
        }
        for (String document : documents) {
            Validator validator = schema.newValidator();
            try {
                validator.validate(new StreamSource(new File(document)));
            } catch (org.xml.sax.SAXException e) {
                System.out.println("INVALID " + document + ": " + e.getMessage());
                System.exit(1);
            }
        }
        System.out.println("OK");
    }
}
